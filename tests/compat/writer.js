#!/usr/bin/env node
'use strict'
// A real reSolve writer: appends events with reSolve's own saveEvent (@resolve-js/eventstore-lite or
// -postgresql 0.34.3) at a steady rate, as an application would, until told to stop. For tests that need an
// application writing while our cmdlets work (a live mirror, a cutover).
//
//   node writer.js --engine sqlite --file app.db [--rate 100] [--count N] [--seconds S] [--seed 1]
//   node writer.js --engine postgres --schema app --pg-port 5432 [--pg-host 127.0.0.1] [--pg-user postgres] [--pg-database postgres] ...
//
// The store is created with reSolve's init() when it does not exist. It stops when its standard input closes
// (or on SIGINT/SIGTERM), after --count events or --seconds, or at the first EventstoreFrozenError (the store was
// frozen: --keep-on-frozen goes on trying at the same rate). Standard output is NDJSON, one line per event
// saved ({"saved":n,"threadId","threadCounter","timestamp","aggregateId","aggregateVersion"}) unless --quiet,
// {"frozen":true,"message":...} for each frozen error, and last {"done":true,"saved":n,"frozen":k,"elapsedMs":t}.

const fs = require('fs')
const { EventstoreFrozenError } = require('@resolve-js/eventstore-base')
const { createRandom } = require('./lib/random')
const resolve = require('./lib/resolve')

function parseArguments(argv) {
  const options = { engine: 'sqlite', rate: 100, count: Infinity, seconds: Infinity, seed: 1, pgHost: '127.0.0.1', pgUser: 'postgres', pgDatabase: 'postgres', quiet: false, keepOnFrozen: false }
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase())
    if (name === 'quiet' || name === 'keepOnFrozen') options[name] = true
    else options[name] = argv[++i]
  }
  for (const name of ['rate', 'count', 'seconds', 'seed']) options[name] = +options[name]
  return options
}

async function storeExists(store, postgres) {
  if (store.engine === 'sqlite') return fs.existsSync(store.file)
  return resolve.withPostgres(postgres, async (client) => {
    const { rows } = await client.query('SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2', [store.schema, 'events'])
    return rows.length > 0
  })
}

async function main() {
  const options = parseArguments(process.argv.slice(2))
  const store = options.engine === 'sqlite' ? { engine: 'sqlite', file: options.file } : { engine: 'postgres', schema: options.schema }
  const postgres = { host: options.pgHost, port: +options.pgPort, user: options.pgUser, database: options.pgDatabase }
  if (!(await storeExists(store, postgres))) await resolve.initStore(store, postgres)

  let stopping = false
  const stop = () => { stopping = true }
  process.stdin.on('end', stop).on('close', stop).on('error', stop).resume()
  process.on('SIGINT', stop).on('SIGTERM', stop)

  const random = createRandom(options.seed)
  // Aggregates of this run only, so that a second writer on the same store never collides on a version.
  const run = `${Date.now().toString(36)}-${process.pid}`
  const versions = new Map()
  const out = (value) => process.stdout.write(JSON.stringify(value) + '\n')
  const adapter = resolve.createAdapter(store, postgres)
  const started = Date.now()
  let saved = 0
  let frozen = 0
  try {
    for (let n = 0; !stopping && saved < options.count && Date.now() - started < options.seconds * 1000; n++) {
      const due = started + (n * 1000) / options.rate
      // Always through the event loop, also when behind the rate: only there is a closed input seen.
      await new Promise((done) => (due > Date.now() ? setTimeout(done, due - Date.now()) : setImmediate(done)))
      const aggregateId = `${run}-${random.int(0, 19)}`
      const aggregateVersion = (versions.get(aggregateId) ?? 0) + 1
      const event = { aggregateId, aggregateVersion, type: random.pick(['ITEM_ADDED', 'ITEM_RENAMED', 'ITEM_REMOVED']), timestamp: Date.now(),
        payload: { n, name: `item ${n} ✓`, amount: random.int(1, 1000) / 4, tags: ['live', n % 7] } }
      try {
        const { event: stored } = await adapter.saveEvent(event)
        versions.set(aggregateId, aggregateVersion)
        saved++
        if (!options.quiet) out({ saved, threadId: stored.threadId, threadCounter: stored.threadCounter, timestamp: stored.timestamp, aggregateId, aggregateVersion })
      } catch (error) {
        if (!EventstoreFrozenError.is(error)) throw error
        frozen++
        out({ frozen: true, message: error.message })
        if (!options.keepOnFrozen) break
      }
    }
  } finally {
    await adapter.dispose()
  }
  out({ done: true, saved, frozen, elapsedMs: Date.now() - started })
  process.exit(0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
