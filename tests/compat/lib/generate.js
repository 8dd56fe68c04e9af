'use strict'
// Generates one case from a seed: NDJSON lines as a user could hand them to either tool (odd spellings
// included), and an incremental batch against them. Everything is JSON text first: the JavaScript value of a
// line is JSON.parse of it, which is what reSolve works with.

const { createRandom } = require('./random')

// Spellings that JavaScript reads as numbers, each a corner of JSON.parse/Number::toString.
const NUMBER_SPELLINGS = [
  '0', '-0', '-0.0', '1', '1.0', '1.50', '1E2', '1e+2', '1e-2', '-1.25E-10', '0.1', '0.30000000000000004',
  '1e21', '1e20', '999999999999999999999', '1e-7', '1e-6', '0.000001', '5e-324', '2.2250738585072014e-308',
  '1.7976931348623157e308', '1.5e+300', '1e400', '-1e400', '9007199254740991', '9007199254740992',
  '9007199254740993', '-9007199254740993', '18446744073709551615', '18446744073709551616',
  '12345678901234567000', '12345678901234567890', '123456789012345678901234567890', '4294967295',
  '4294967296', '2147483648', '-2147483649', '100', '1e0', '0e0', '0.0', '123.456', '-0.5e-0',
]

const KEYS = [
  'a', 'b', 'name', 'id', 'z', '0', '1', '2', '10', '01', '-1', '1.0', '4294967294', '4294967295', '',
  '__proto__', 'constructor', 'é', '😀', 'a b', 'key"quote', 'back\\slash', '\u2028',
]

const AGGREGATE_IDS = ['agg-1', 'agg-2', '', "o'brien", 'über', 'a"b', '😀', 'x\\y', 'τ']
const TYPES = ['USER_CREATED', 'ITEM_ADDED', 'τύπος', "it's", 'q"uote', '😀', 'A\tB']

const T0 = 4102444800000 // 2100-01-01: later than the clock, so saveEvent keeps the timestamp given

function hex4(code) {
  return '\\u' + code.toString(16).padStart(4, '0')
}

class TextGenerator {
  constructor(random) {
    this.random = random
    // Rarer features per case, so that most cases stay within what PostgreSQL's JSONB takes (no lone
    // surrogates, no NUL) and what a quick run can afford (deep nesting).
    this.loneSurrogates = random.chance(0.15)
    this.nul = random.chance(0.05)
    this.deepNesting = random.chance(0.2)
    this.emptyType = random.chance(0.1)
    this.duplicateKeys = random.chance(0.35) // some cases only: ConvertFrom-Json cannot carry them to the pipeline
  }

  // An event type; "" (which reSolve accepts everywhere) in some cases only, so that it hides no other difference.
  type() {
    return JSON.stringify(this.emptyType && this.random.chance(0.5) ? '' : this.random.pick(TYPES))
  }

  number() {
    const r = this.random
    const kind = r.int(0, 9)
    if (kind < 5) return r.pick(NUMBER_SPELLINGS)
    if (kind === 5) {
      // An arbitrary double: the shortest text, or its 17 significant digits, or more digits than a double holds.
      const buffer = new DataView(new ArrayBuffer(8))
      buffer.setUint32(0, Math.floor(r.next() * 0x7fefffff))
      buffer.setUint32(4, Math.floor(r.next() * 0x100000000))
      const value = buffer.getFloat64(0)
      return r.pick([String(value), value.toPrecision(17), value.toExponential(16).replace('e', 'E')])
    }
    if (kind === 6) {
      let digits = String(r.int(1, 9))
      for (let i = r.int(0, 30); i > 0; i--) digits += r.int(0, 9)
      return (r.chance(0.3) ? '-' : '') + digits + (r.chance(0.3) ? '.' + r.int(0, 99999) : '')
    }
    if (kind === 7) return (r.next() * 1000 - 500).toFixed(r.int(0, 6))
    return String(r.int(-1000, 1000))
  }

  // String body as JSON text: raw characters, escapes of every kind, astral pairs, lone surrogates, U+2028/9.
  stringBody() {
    const r = this.random
    let text = ''
    for (let i = r.int(0, 6); i > 0; i--) {
      switch (r.int(0, 15)) {
        case 0: text += 'plain'; break
        case 1: text += 'é'; break
        case 2: text += '😀'; break
        case 3: text += '\\ud83d\\ude00'; break // the same astral character as an escaped pair
        case 4: if (this.loneSurrogates) text += hex4(r.pick([0xd800, 0xdbff, 0xdc00, 0xdfff, 0xd834])); break // a lone surrogate
        case 5: text += r.pick(['\u2028', '\u2029', '\\u2028', '\\u2029']); break
        case 6: text += r.pick(['\\n', '\\t', '\\r', '\\b', '\\f', '\\"', '\\\\', '\\/']); break
        case 7: text += hex4(r.int(1, 0x1f)); break // control characters
        case 8: text += '\u007f'; break
        case 9: text += hex4(r.pick([0x41, 0xe9, 0x7f, 0x2f, 0x22, 0x5c, 0xfeff])); break // escapes of ordinary characters
        case 10: text += ' '; break
        case 11: text += '<\u00a0>'; break
        case 12: text += '2024-01-01T00:00:00Z'; break // a date string that must stay a string
        case 13: text += 'ключ'; break
        case 14: if (this.nul) text += '\\u0000'; break // NUL: PostgreSQL's JSONB refuses it
        default: text += String.fromCharCode(r.int(0x20, 0x7e)).replace(/["\\]/, 'x')
      }
    }
    return text
  }

  string() {
    return '"' + this.stringBody() + '"'
  }

  key() {
    const r = this.random
    if (r.chance(0.15)) return this.string()
    return JSON.stringify(r.pick(KEYS))
  }

  space() {
    return this.random.chance(0.1) ? this.random.pick([' ', '  ', '\t', ' \t ']) : ''
  }

  deep() {
    const r = this.random
    const depth = r.int(20, 900)
    const array = r.chance(0.5)
    return array ? '['.repeat(depth) + this.number() + ']'.repeat(depth)
      : '{"d":'.repeat(depth) + this.string() + '}'.repeat(depth)
  }

  value(depth = 0) {
    const r = this.random
    const kind = depth > 5 ? r.int(0, 4) : r.int(0, 9)
    switch (kind) {
      case 0: case 1: return this.number()
      case 2: return this.string()
      case 3: return r.pick(['true', 'false', 'null'])
      case 4: return r.pick(['{}', '[]', '""', '{ }', '[ ]'])
      case 5: case 6: case 7: return this.object(depth)
      case 8: return this.array(depth)
      default: return this.deepNesting && r.chance(0.3) ? this.deep() : this.object(depth)
    }
  }

  object(depth) {
    const r = this.random
    const keys = []
    const members = []
    for (let i = r.int(0, 6); i > 0; i--) {
      const key = this.duplicateKeys && keys.length > 0 && r.chance(0.2) ? r.pick(keys) : this.key() // duplicate keys: the last wins
      if (!this.duplicateKeys && keys.includes(key)) continue
      keys.push(key)
      members.push(this.space() + key + this.space() + ':' + this.space() + this.value(depth + 1) + this.space())
    }
    return '{' + members.join(',') + '}'
  }

  array(depth) {
    const items = []
    for (let i = this.random.int(0, 5); i > 0; i--) items.push(this.space() + this.value(depth + 1) + this.space())
    return '[' + items.join(',') + ']'
  }

  payload() {
    const r = this.random
    const kind = r.int(0, 19)
    if (kind === 0) return this.number() // top-level numbers: a NUMERIC column on SQLite
    if (kind === 1) return this.string()
    if (kind === 2) return r.pick(['null', 'true', 'false', '[]', '{}'])
    if (kind === 3 && this.deepNesting) return this.deep()
    if (kind === 4) return this.array(0)
    return this.object(0)
  }

  // Text of an integer field: plain, or exponent-written as both tools accept.
  integer(value) {
    if (value > 0 && this.random.chance(0.05)) return value.toExponential().replace('e+', 'e')
    return String(value)
  }
}

// Writes an event's fields in any order, with unknown fields, an omitted payload or a repeated field.
function eventLine(generator, fields) {
  const r = generator.random
  const members = Object.entries(fields).map(([name, text]) => [JSON.stringify(name), text])
  if (r.chance(0.1)) members.push([JSON.stringify(r.pick(['extra', 'eventSize', 'meta'])), generator.value(3)])
  if (r.chance(0.03)) {
    // A field given twice: JSON.parse keeps the last.
    const [name, text] = r.pick(members)
    members.splice(r.int(0, members.length), 0, [name, name === '"payload"' ? generator.payload() : text])
    members.push([name, text])
  }
  const ordered = r.chance(0.3) ? r.shuffle(members) : members
  const sep = r.chance(0.1) ? ' ' : ''
  return '{' + ordered.map(([name, text]) => sep + name + sep + ':' + sep + text).join(',') + '}'
}

// Events for importEvents/saveEvent: (threadId, threadCounter) and (aggregateId, aggregateVersion) unique.
function importLines(generator) {
  const r = generator.random
  const aggregates = r.shuffle(AGGREGATE_IDS).slice(0, r.int(1, 3))
  const versions = new Map()
  const counters = new Map()
  const lines = []
  for (let i = r.int(1, 6); i > 0; i--) {
    const aggregateId = r.pick(aggregates)
    const version = (versions.get(aggregateId) ?? (r.chance(0.2) ? r.int(1, 2 ** 31) : 0)) + 1
    versions.set(aggregateId, version)
    const threadId = r.chance(0.2) ? r.pick([0, 255]) : r.int(0, 255)
    const counter = counters.has(threadId) ? counters.get(threadId) + 1 : r.chance(0.2) ? r.int(0, 2 ** 40) : 0
    counters.set(threadId, counter)
    const fields = {
      threadCounter: generator.integer(counter),
      threadId: generator.integer(threadId),
      type: generator.type(),
      timestamp: generator.integer(T0 + r.int(0, 5000)),
      aggregateId: JSON.stringify(aggregateId),
      aggregateVersion: generator.integer(version),
    }
    if (!r.chance(0.05)) fields.payload = generator.payload()
    lines.push(eventLine(generator, fields))
  }
  return lines
}

// Values reSolve stores although they are no event (our import refuses them: stricter validation).
function garbageLine(generator, line) {
  const r = generator.random
  const event = JSON.parse(line)
  const [field, text] = r.pick([
    ['aggregateVersion', '1.5'], ['threadCounter', '-1'], ['threadId', '256'], ['aggregateVersion', '0'],
    ['timestamp', '"1"'], ['aggregateId', 'null'], ['type', '7'],
  ])
  const fields = {}
  for (const [name, value] of Object.entries(event)) fields[name] = JSON.stringify(value)
  fields[field] = text
  return eventLine(generator, fields)
}

// JSON text of a value, spelled differently but equal as a JavaScript value; with `shuffle` also with its
// keys in another order (equal as a JSON value, not as text).
function respell(generator, value, shuffle) {
  const r = generator.random
  if (typeof value === 'number') {
    if (Object.is(value, -0) || value === 0) return r.pick(['0', '-0', '0.0', '0e5'])
    if (Number.isInteger(value) && Math.abs(value) < 1e21 && r.chance(0.5)) return r.pick([`${value}.0`, `${value}e0`, `${value}E+0`])
    return r.chance(0.5) ? value.toExponential().toUpperCase() : String(value)
  }
  if (typeof value === 'string') {
    const escaped = (c) => (r.chance(0.1) ? Array.from({ length: c.length }, (_, i) => hex4(c.charCodeAt(i))).join('') : JSON.stringify(c).slice(1, -1))
    return '"' + Array.from(value).map(escaped).join('') + '"'
  }
  if (Array.isArray(value)) return '[' + value.map((item) => respell(generator, item, shuffle)).join(',') + ']'
  if (value !== null && typeof value === 'object') {
    let entries = Object.entries(value)
    if (shuffle) entries = r.shuffle(entries)
    const members = entries.map(([k, v]) => JSON.stringify(k) + ':' + respell(generator, v, shuffle))
    if (entries.length > 0 && r.chance(0.2)) members.unshift(JSON.stringify(entries[0][0]) + ':"overwritten"')
    return '{' + members.join(',') + '}'
  }
  return JSON.stringify(value)
}

// An incremental batch against `stored` (reSolve's parsed events of the store): stored events again (some
// spelled differently), new events at or after the newest timestamp, older ones, repeats within the batch.
function incrementalLines(seed, stored) {
  const generator = new TextGenerator(createRandom(seed ^ 0x5bd1e995))
  const r = generator.random
  const newest = Math.max(...stored.map((e) => e.timestamp))
  const lines = []
  for (let i = r.int(1, 6); i > 0; i--) {
    const kind = r.int(0, 9)
    let fields
    if (kind <= 2 && stored.length > 0) {
      const e = r.pick(stored)
      fields = { timestamp: String(e.timestamp), aggregateId: JSON.stringify(e.aggregateId), type: JSON.stringify(e.type),
        payload: respell(generator, e.payload, kind === 2) }
    } else if (kind === 3 && lines.length > 0) {
      lines.push(r.pick(lines))
      continue
    } else {
      const timestamp = kind === 4 ? newest - r.int(1, 3000) : kind === 5 ? newest : newest + r.int(1, 3000)
      fields = { timestamp: String(timestamp), aggregateId: JSON.stringify(r.pick(AGGREGATE_IDS)), type: generator.type(),
        payload: generator.payload() }
    }
    if (r.chance(0.1)) Object.assign(fields, { threadId: '7', threadCounter: '0', aggregateVersion: '99' }) // ignored by both
    lines.push(eventLine(generator, fields))
  }
  return lines
}

function generateCase(seed) {
  const generator = new TextGenerator(createRandom(seed))
  const lines = importLines(generator)
  const garbage = generator.random.chance(0.05)
  const input = garbage ? lines.map((line, i) => (i === 0 ? garbageLine(generator, line) : line)) : lines
  return { seed, lines: input, baseLines: lines }
}

module.exports = { generateCase, incrementalLines, T0 }
