'use strict'
// reSolve's own copy of a SQLite store, for the benchmark's comparison row: pipeline(exportEvents, importEvents)
// between two eventstore-lite adapters (tests/compat's pinned packages), in this fresh node process, timed from
// the adapters' creation. Usage: node resolve-copy.js <source.db> <target.db>; prints the seconds.
const { pipeline } = require('stream/promises')
const resolve = require('../tests/compat/lib/resolve')

const MANUAL = Symbol.for('MAINTENANCE_MODE_MANUAL')

async function main() {
  const [sourceFile, targetFile] = process.argv.slice(2)
  const start = process.hrtime.bigint()
  const target = { engine: 'sqlite', file: targetFile }
  await resolve.initStore(target)
  const from = resolve.createAdapter({ engine: 'sqlite', file: sourceFile })
  const to = resolve.createAdapter(target)
  try {
    await pipeline(from.exportEvents({ maintenanceMode: MANUAL }), to.importEvents())
  } finally {
    await from.dispose()
    await to.dispose()
  }
  console.log(Number(process.hrtime.bigint() - start) / 1e9)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
