'use strict'
// The documented divergences from reSolve, each applied as a rule (never as a list of cases) and named after
// the README section that documents it. A difference no rule explains is a failure.

const README = 'README, "Where we differ from reSolve"'

const RULES = {
  olderEventsSkipped: `${README}: "Older events skipped"`,
  duplicatesAsJsonValues: `${README}: "Duplicates compared as JSON values"`,
  stricterValidation: `${README}: "Stricter validation"`,
  storedValuesWeCannotCarry: `${README}: "Stored values we cannot carry"`,
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

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

// What PowerShell's ConvertFrom-Json loses of a JSON text (not the module): a repeated key moves to the end of
// its object, and a lone surrogate becomes U+FFFD. Such a line cannot reach Import-EventStore as the text's value.
function lostByConvertFromJson(text) {
  const objects = [] // per open object or array: the keys seen (null for an array) and whether a key comes next
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '{') objects.push({ keys: new Set(), keyNext: true })
    else if (c === '[') objects.push({ keys: null })
    else if (c === '}' || c === ']') objects.pop()
    else if (c === ',' && objects.length > 0 && objects[objects.length - 1].keys) objects[objects.length - 1].keyNext = true
    else if (c === ':') objects[objects.length - 1].keyNext = false
    else if (c === '"') {
      let end = i + 1
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1
      const value = JSON.parse(text.slice(i, end + 1))
      if (LONE_SURROGATE.test(value)) return true
      const top = objects[objects.length - 1]
      if (top && top.keys && top.keyNext) {
        if (top.keys.has(value)) return true
        top.keys.add(value)
      }
      i = end
    }
  }
  return false
}

// Text PostgreSQL's JSONB refuses (a lone surrogate or NUL in a string or key): reSolve's PostgreSQL adapter fails
// on such a payload wherever it writes it.
function refusedByJsonb(value) {
  if (typeof value === 'string') return value.includes('\u0000') || LONE_SURROGATE.test(value)
  if (value === null || typeof value !== 'object') return false
  return Object.entries(value).some(([key, item]) => refusedByJsonb(key) || refusedByJsonb(item))
}

module.exports.lostByConvertFromJson = lostByConvertFromJson
module.exports.refusedByJsonb = refusedByJsonb
