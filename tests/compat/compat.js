#!/usr/bin/env node
'use strict'
// The compatibility suite: seeded, generated cases run through the real reSolve adapters and through our
// module (ours.ps1, one pwsh for all cases), both ways, on SQLite and PostgreSQL; every result compared.
//
//   node compat.js --cases 200 --seed 1 --work DIR --module out/EventStoreTools/EventStoreTools.psd1
//                  --pwsh '["pwsh"]' --pg-port 5432 [--case-seed N] [--summary FILE]
//
// Directions per case and engine:
//   resolve-save/export, resolve-import/export   reSolve writes (saveEvent, importEvents); our -OutFile export
//                                                 must equal reSolve's exportEvents() byte for byte.
//   import-file, import-objects, import-copy      we import (-InFile; ConvertFrom-Json -AsHashtable objects; the
//                                                 pipeline copy of reSolve's store); our rows must equal the rows of
//                                                 reSolve's importEvents, and reSolve must read back the input's events.
//   incremental                                   Import-EventStore -Incremental vs reSolve's incrementalImport on
//                                                 the same store: rows (and threads) equal.

const fs = require('fs')
const path = require('path')
const { spawnSync } = require('child_process')
const { AsyncLocalStorage } = require('async_hooks')
const { createRandom, caseSeed } = require('./lib/random')
const { generateCase, incrementalLines } = require('./lib/generate')
const { RULES, expectedIncrementalBatch, isGarbageEvent, lostByConvertFromJson, refusedByJsonb } = require('./lib/rules')
const resolve = require('./lib/resolve')

function parseArguments(argv) {
  const options = { cases: 200, jobs: 3, seed: 1, caseSeed: null, pwsh: '["pwsh"]', pgHost: '127.0.0.1', pgPort: null, summary: null }
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase())
    options[name] = argv[i + 1]
  }
  for (const required of ['work', 'module']) if (!options[required]) throw new Error(`--${required} is required`)
  options.cases = +options.cases
  options.seed = +options.seed
  options.pwsh = JSON.parse(options.pwsh)
  return options
}

const ENGINES = ['sqlite', 'postgres']

// saveEvent picks thread ids with Math.random: within a case it draws from the case's seed, also while
// other cases run concurrently.
const caseRandom = new AsyncLocalStorage()
const systemRandom = Math.random
Math.random = () => (caseRandom.getStore() ?? systemRandom)()

// Runs an action; its error (as text) instead of a throw.
async function attempt(action) {
  try {
    return { ok: true, value: await action() }
  } catch (error) {
    if (process.env.COMPAT_DEBUG) console.error(error)
    return { ok: false, error: String(error && error.message ? error.message : error).split('\n')[0].slice(0, 300) }
  }
}

// The first bytes where two texts (or buffers) differ, with a little context on each side.
function firstDifference(expected, actual) {
  const a = Buffer.isBuffer(expected) ? expected : Buffer.from(expected)
  const b = Buffer.isBuffer(actual) ? actual : Buffer.from(actual)
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  const start = Math.max(0, i - 30)
  const show = (buffer) => JSON.stringify(buffer.subarray(start, i + 50).toString('utf8'))
  return `at byte ${i}: reSolve ${show(a)} / ours ${show(b)}`
}

function firstRowDifference(expected, actual) {
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    if (expected[i] !== actual[i]) {
      const key = (expected[i] ?? actual[i]).split(' | ', 2).join(' | ')
      return `row ${i} (${key} | …) ${expected[i] === undefined ? 'only ours' : actual[i] === undefined ? 'only reSolve\'s' : firstDifference(expected[i], actual[i])}`
    }
  }
  return null
}

// Keys sorted at every level: PostgreSQL's JSONB keeps no key order, so its events are compared so.
function sortedKeys(value) {
  if (Array.isArray(value)) return value.map(sortedKeys)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys(value[k])]))
  }
  return value
}

// An event as reSolve's export shapes it, as text: what "reads back exactly the input's events" compares.
function shapedEvent(event, engine) {
  const payload = event.payload ?? null
  return JSON.stringify({
    threadCounter: +event.threadCounter, threadId: +event.threadId, type: event.type, timestamp: +event.timestamp,
    aggregateId: event.aggregateId, aggregateVersion: +event.aggregateVersion, payload: engine === 'postgres' ? sortedKeys(payload) : payload,
  })
}

const byThread = (a, b) => a.threadId - b.threadId || a.threadCounter - b.threadCounter
const PAYLOAD_KEPT_AS_STRING = /^The payload of .* is not JSON text, so it is stored as a JSON string\./s

// Runs action(item, index) for every item, `jobs` at a time; the results in the items' order.
async function inParallel(items, jobs, action) {
  const results = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await action(items[index], index)
    }
  }
  await Promise.all(Array.from({ length: jobs }, worker))
  return results
}

class Suite {
  constructor(options) {
    this.options = options
    this.postgres = { host: options.pgHost, port: +options.pgPort, user: 'postgres', database: 'postgres' }
    this.tasks = []
    this.checks = [] // { caseSeed, engine, direction, compare(results) -> null | difference }
    this.differences = []
    this.compared = 0
    this.comparedBy = {}
    this.rulesApplied = Object.fromEntries(Object.keys(RULES).map((k) => [k, 0]))
    this.notApplicable = 0
    this.notApplicableBy = {}
  }

  // A comparison that does not apply, counted by its reason.
  skip(reason) {
    this.notApplicable++
    this.notApplicableBy[reason] = (this.notApplicableBy[reason] ?? 0) + 1
  }

  store(engine, dir, name, index) {
    return engine === 'sqlite' ? { engine, file: path.join(dir, `${name}.db`) } : { engine, schema: `c${index}_${name}` }
  }

  task(op, fields) {
    const id = this.tasks.length
    this.tasks.push({ id, op, ...fields })
    return id
  }

  check(testCase, engine, direction, compare) {
    this.checks.push({ seed: testCase.seed, engine, direction, compare })
  }

  // Phase 1: reSolve writes and computes every expected result; our tasks are listed.
  async prepare(index, seed) {
    const testCase = generateCase(seed)
    const dir = path.join(this.options.work, `case-${index}`)
    fs.mkdirSync(dir, { recursive: true })
    const inputText = testCase.lines.join('\n') + '\n'
    const inputFile = path.join(dir, 'input.ndjson')
    fs.writeFileSync(inputFile, inputText)
    const baseText = testCase.baseLines.join('\n') + '\n'
    const inputEvents = testCase.lines.map((line) => JSON.parse(line))
    const garbage = inputEvents.some(isGarbageEvent)

    for (const engine of ENGINES) {
      const pg = this.postgres
      // reSolve writes: saveEvent (thread ids from a seeded Math.random) and importEvents; we export.
      const saved = this.store(engine, dir, `${engine}-resolve-save`, index)
      const saveEvents = testCase.baseLines.map((line) => {
        const e = JSON.parse(line)
        return { aggregateId: e.aggregateId, aggregateVersion: e.aggregateVersion, type: e.type, timestamp: e.timestamp, payload: e.payload }
      })
      const save = await caseRandom.run(createRandom(seed).next, () => attempt(async () => {
        await resolve.initStore(saved, pg)
        await resolve.saveEvents(saved, pg, saveEvents)
        return resolve.exportEvents(saved, pg)
      }))
      this.exportCheck(testCase, engine, 'resolve-save/export', save, saved, dir, false)

      const imported = this.store(engine, dir, `${engine}-resolve-import`, index)
      const reImport = await attempt(async () => {
        await resolve.importEvents(imported, pg, inputText)
        return { export: await resolve.exportEvents(imported, pg), rows: await resolve.storeRows(imported, pg) }
      })
      this.exportCheck(testCase, engine, 'resolve-import/export', reImport.ok ? { ok: true, value: reImport.value.export } : reImport, imported, dir, garbage)

      // We import the same input three ways; reSolve's rows are the expected ones.
      for (const [direction, op, extra] of [['import-file', 'importFile', { inFile: inputFile }], ['import-objects', 'importObjects', { inFile: inputFile }], ['import-copy', 'importCopy', { source: imported }]]) {
        if (op === 'importCopy' && !reImport.ok) {
          this.skip('reSolve cannot write the input on this engine (copy)')
          continue
        }
        const ours = this.store(engine, dir, `${engine}-ours-${op}`, index)
        const id = this.task(op, { store: ours, ...extra })
        this.check(testCase, engine, direction, async (results) => {
          const result = results[id]
          // The one warning expected: a text row's (string timestamp) payload that is not JSON is kept as a string.
          // Only objects carry such rows; NDJSON lines and exported events do not.
          const warning = (result.warnings || []).find((w) => op !== 'importObjects' || !PAYLOAD_KEPT_AS_STRING.test(w))
          if (warning) return { difference: `we warned: ${warning}` }
          if (op === 'importObjects' && testCase.lines.some(lostByConvertFromJson)) return { notApplicable: 'ConvertFrom-Json moves repeated keys and replaces lone surrogates' }
          if (!reImport.ok && !result.ok) return { equal: true } // both refuse the input
          if (!reImport.ok) return { difference: `reSolve refused the input (${reImport.error}), we imported it` }
          if (!result.ok) {
            if (garbage && /InvalidInput/.test(result.error)) return { equal: true, rule: 'stricterValidation' }
            if (garbage && op === 'importCopy' && /^ExportEventStore/.test(result.error)) return { equal: true, rule: 'storedValuesWeCannotCarry' }
            if (op === 'importObjects' && !/ImportEventStore/.test(result.error)) return { notApplicable: 'ConvertFrom-Json refuses the text' }
            return { difference: `we refused the input reSolve imported: ${result.error}` }
          }
          const rows = await resolve.storeRows(ours, pg)
          const rowDifference = firstRowDifference(reImport.value.rows, rows)
          // The copy of a store holding garbage carries what reSolve stored (PostgreSQL rounds a version of 1.5 to 2,
          // but reSolve measured eventSize on "1.5"), not the input.
          if (garbage && op === 'importCopy') return rowDifference ? { equal: true, rule: 'stricterValidation' } : { equal: true }
          if (rowDifference) return { difference: `stored rows differ from reSolve's importEvents: ${rowDifference}` }
          if (garbage) return { equal: true } // reSolve reads back what its columns made of the garbage, not the input
          const readBack = (await resolve.exportEvents(ours, pg)).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).sort(byThread)
          const expected = inputEvents.slice().sort(byThread).map((e) => shapedEvent(e, engine))
          const actual = readBack.map((e) => shapedEvent(e, engine))
          const readDifference = firstRowDifference(expected, actual)
          return readDifference ? { difference: `reSolve reads back other events than the input's: ${readDifference}` } : { equal: true }
        })
      }

      await this.prepareIncremental(testCase, engine, dir, index, baseText)
    }
  }

  exportCheck(testCase, engine, direction, written, store, dir, garbage) {
    if (!written.ok) {
      this.skip('reSolve cannot write the input on this engine (export)') // nothing of ours to compare
      return
    }
    const outFile = path.join(dir, `${direction.replace('/', '-')}-${engine}.ndjson`)
    const id = this.task('export', { store, outFile })
    this.check(testCase, engine, direction, async (results) => {
      if (!results[id].ok) {
        // reSolve stores garbage and exports it as it is; we refuse a stored field that is no whole number.
        if (garbage && /^ExportEventStore/.test(results[id].error)) return { equal: true, rule: 'storedValuesWeCannotCarry' }
        return { difference: `our export failed: ${results[id].error}` }
      }
      const ours = fs.readFileSync(outFile)
      return ours.equals(written.value) ? { equal: true } : { difference: `NDJSON differs from reSolve's exportEvents() ${firstDifference(written.value, ours)}` }
    })
  }

  // Both start from the same store (reSolve's importEvents of the valid events); reSolve's incrementalImport
  // and ours then take the same batch.
  async prepareIncremental(testCase, engine, dir, index, baseText) {
    const pg = this.postgres
    const theirs = this.store(engine, dir, `${engine}-incremental-resolve`, index)
    const ours = this.store(engine, dir, `${engine}-incremental-ours`, index)
    const base = await attempt(async () => {
      for (const store of [theirs, ours]) await resolve.importEvents(store, pg, baseText)
      return (await resolve.exportEvents(theirs, pg)).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
    })
    if (!base.ok) {
      this.skip('reSolve cannot write the base store on this engine (incremental)')
      return
    }
    const batchLines = incrementalLines(testCase.seed, base.value)
    const batchFile = path.join(dir, `${engine}-batch.ndjson`)
    fs.writeFileSync(batchFile, batchLines.join('\n') + '\n')
    const batch = batchLines.map((line) => JSON.parse(line))
    const expected = expectedIncrementalBatch(base.value, batch)
    // reSolve pushes every event before it looks for duplicates: a payload its JSONB refuses fails the whole
    // batch, also one the rules would leave out.
    const given = engine === 'postgres' && batch.some((e) => refusedByJsonb(e.payload ?? null)) ? batch : expected.batch
    const theirResult = await attempt(async () => {
      if (given.length > 0) await resolve.incrementalImport(theirs, pg, given)
      return resolve.storeRows(theirs, pg)
    })
    const id = this.task('incremental', { store: ours, inFile: batchFile })
    this.check(testCase, engine, 'incremental', async (results) => {
      const result = results[id]
      if (!theirResult.ok && !result.ok) return { equal: true }
      if (!theirResult.ok) return { difference: `reSolve's incrementalImport failed (${theirResult.error}), ours imported` }
      if (!result.ok) return { difference: `our incremental import failed: ${result.error}` }
      const rowDifference = firstRowDifference(theirResult.value, await resolve.storeRows(ours, pg))
      if (rowDifference) return { difference: `rows differ from reSolve's incrementalImport: ${rowDifference}` }
      return { equal: true, rules: expected.applied }
    })
  }

  // The schemas of an earlier run on the same server: every case starts from no schema.
  async dropSchemas() {
    await resolve.withPostgres(this.postgres, async (client) => {
      const { rows } = await client.query(`SELECT nspname FROM pg_namespace WHERE nspname ~ '^c[0-9]+_'`)
      for (const { nspname } of rows) await client.query(`DROP SCHEMA ${resolve.quoteId(nspname)} CASCADE`)
    })
  }

  runOurs() {
    const taskFile = path.join(this.options.work, 'tasks.json')
    const resultFile = path.join(this.options.work, 'results.json')
    const connectionString = `Host=${this.postgres.host};Port=${this.postgres.port};Username=postgres;Database=postgres`
    fs.writeFileSync(taskFile, JSON.stringify({ connectionString, tasks: this.tasks }))
    const [command, ...prefix] = this.options.pwsh
    const run = spawnSync(command, [...prefix, '-NoProfile', '-NonInteractive', '-File', path.join(__dirname, 'ours.ps1'),
      '-TaskFile', taskFile, '-ResultFile', resultFile, '-ModulePath', this.options.module], { stdio: 'inherit' })
    if (run.status !== 0) throw new Error(`ours.ps1 failed (exit code ${run.status})`)
    const results = []
    for (const result of JSON.parse(fs.readFileSync(resultFile, 'utf8').replace(/^\uFEFF/, ''))) results[result.id] = result
    return results
  }

  async compare(results) {
    const outcomes = await inParallel(this.checks, +this.options.jobs, (check) => check.compare(results))
    this.checks.forEach((check, i) => {
      const outcome = outcomes[i]
      if (outcome.notApplicable) {
        this.skip(outcome.notApplicable)
        return
      }
      this.compared++
      const key = `${check.engine} ${check.direction}`
      this.comparedBy[key] = (this.comparedBy[key] ?? 0) + 1
      for (const rule of [outcome.rule, ...(outcome.rules ?? [])].filter(Boolean)) this.rulesApplied[rule]++
      if (outcome.difference) this.differences.push({ caseSeed: check.seed, engine: check.engine, direction: check.direction, difference: outcome.difference })
    })
  }
}

async function main() {
  const options = parseArguments(process.argv.slice(2))
  fs.rmSync(options.work, { recursive: true, force: true })
  fs.mkdirSync(options.work, { recursive: true })
  const suite = new Suite(options)
  await suite.dropSchemas()
  const seeds = options.caseSeed != null ? [+options.caseSeed] : Array.from({ length: options.cases }, (_, i) => caseSeed(options.seed, i))
  const started = Date.now()
  // Cases are prepared a few at a time: reSolve mostly waits for PostgreSQL.
  await inParallel(seeds, +options.jobs, (seed, index) => suite.prepare(index, seed))
  const prepared = Date.now()
  const results = suite.runOurs()
  const ran = Date.now()
  await suite.compare(results)

  const shown = +(options.show ?? 60)
  for (const d of suite.differences.slice(0, shown)) console.log(`DIFFERENCE case-seed ${d.caseSeed} ${d.engine} ${d.direction}: ${d.difference}`)
  if (suite.differences.length > shown) console.log(`... and ${suite.differences.length - shown} more differences (--show N prints more)`)
  const rules = Object.entries(suite.rulesApplied).map(([k, n]) => `${RULES[k].split(': ')[1]} ${n}`).join(', ')
  console.log(`compat: ${seeds.length} cases (seed ${options.seed}), ${suite.compared} results compared with reSolve's, ${suite.differences.length} unexplained differences; ` +
    `rules applied (README "Where we differ from reSolve"): ${rules}; not applicable: ${suite.notApplicable} (${Object.entries(suite.notApplicableBy).map(([k, n]) => `${k}: ${n}`).join('; ')}); reSolve ${((prepared - started) / 1000).toFixed(1)} s, ours ${((ran - prepared) / 1000).toFixed(1)} s, compare ${((Date.now() - ran) / 1000).toFixed(1)} s`)
  if (options.summary) {
    fs.writeFileSync(options.summary, JSON.stringify({ cases: seeds.length, compared: suite.compared, comparedBy: suite.comparedBy, differences: suite.differences, rulesApplied: suite.rulesApplied, notApplicable: suite.notApplicable, notApplicableBy: suite.notApplicableBy }, null, 1))
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(2)
})
