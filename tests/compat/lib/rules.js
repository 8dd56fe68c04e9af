'use strict'
// The documented divergences from reSolve, each applied as a rule (never as a list of cases) and named after
// the README section that documents it. A difference no rule explains is a failure.

const README = 'README, "Where we differ from reSolve"'

const RULES = {
  olderEventsSkipped: `${README}: older events in an incremental import are skipped, not the batch rejected`,
  duplicatesAsJsonValues: `${README}: incremental duplicates are compared as JSON values`,
  stricterValidation: `${README}: stricter validation where reSolve stores garbage`,
}

// Deep equality of JavaScript values, object keys in any order (what our duplicate check compares).
function sameJsonValue(a, b) {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const keysA = Object.keys(a)
  const keysB = Object.keys(b)
  return keysA.length === keysB.length && keysA.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJsonValue(a[k], b[k]))
}

// The batch reSolve is given for the comparison: our incremental import skips (1) an event equal as a JSON
// value to a stored one on timestamp, aggregateId, type and payload, and (2) a remaining event older than the
// newest stored one. reSolve skips only text-equal payloads (lite) and rejects the batch for (2); so the
// expected store is reSolve's result for the batch without both. Returns the batch and the rules that removed events.
function expectedIncrementalBatch(stored, batch) {
  const newest = Math.max(...stored.map((e) => e.timestamp))
  const applied = new Set()
  const kept = batch.filter((event) => {
    const payload = event.payload ?? null
    const duplicate = stored.find((s) => s.timestamp === event.timestamp && s.aggregateId === event.aggregateId && s.type === event.type && sameJsonValue(s.payload, payload))
    if (duplicate) {
      if (JSON.stringify(duplicate.payload) !== JSON.stringify(payload)) applied.add('duplicatesAsJsonValues')
      return false
    }
    if (event.timestamp < newest) {
      applied.add('olderEventsSkipped')
      return false
    }
    return true
  })
  return { batch: kept, applied: [...applied] }
}

const isWhole = (v) => typeof v === 'number' && Number.isInteger(v)

// Our import refuses what is no event (README "Import-EventStore": a missing or null field, a string or fractional
// number where an integer belongs, threadId outside 0-255, a negative threadCounter, aggregateVersion below 1,
// a type or aggregateId that is no string); reSolve stores such values as they come.
function isGarbageEvent(event) {
  return !(isWhole(event.threadId) && event.threadId >= 0 && event.threadId <= 255 &&
    isWhole(event.threadCounter) && event.threadCounter >= 0 &&
    isWhole(event.timestamp) && isWhole(event.aggregateVersion) && event.aggregateVersion >= 1 &&
    typeof event.type === 'string' && typeof event.aggregateId === 'string')
}

module.exports = { RULES, sameJsonValue, expectedIncrementalBatch, isGarbageEvent }
