#!/usr/bin/env node
'use strict'
// Remakes, with reSolve's real eventstore-lite adapter, every fixture file that reSolve's output defines
// (tests/fixtures) and compares it with the committed copy, so that a change of reSolve's output is caught.
//
//   node fixtures.js --work DIR            check: exit 1 and name each file that reSolve now writes otherwise
//   node fixtures.js --work DIR --write    remake the files in tests/fixtures
//
// resolve-lite-600.export.ndjson   reSolve's exportEvents() of resolve-lite-600.db (the store itself was written
//                                   with saveEvent, which stamps the time of writing, so it is kept, not remade)
// incremental/*.expected.dump.ndjson
//                                   base.export.ndjson loaded with reSolve's importEvents, the case's input given
//                                   to incrementalImport, the store read back with exportEvents: one event a line,
//                                   keys sorted at every level (incremental import's thread ids are timestamp % 256,
//                                   so the result does not depend on chance)

const fs = require('fs')
const path = require('path')
const resolve = require('./lib/resolve')

const FIXTURES = path.join(__dirname, '..', 'fixtures')

function parseArguments(argv) {
  const options = { work: null, write: false }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--write') options.write = true
    else if (argv[i] === '--work') options.work = argv[++i]
    else throw new Error(`unknown argument ${argv[i]}`)
  }
  if (!options.work) throw new Error('--work is required')
  return options
}

// JSON text with the keys of every object in string order; written by hand, as a JavaScript object would put
// integer-like keys ("2", "10") first in numeric order whatever order they were added in.
function sortedKeysJson(value) {
  if (Array.isArray(value)) return '[' + value.map(sortedKeysJson).join(',') + ']'
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  return '{' + Object.keys(value).sort().map((key) => JSON.stringify(key) + ':' + sortedKeysJson(value[key])).join(',') + '}'
}

const dumpText = (exported) =>
  exported.toString('utf8').split('\n').filter((line) => line !== '').map((line) => sortedKeysJson(JSON.parse(line)) + '\n').join('')

const readLines = (file) => fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '')

async function exportOfStore(work) {
  const copy = path.join(work, 'resolve-lite-600.db')
  fs.copyFileSync(path.join(FIXTURES, 'resolve-lite-600.db'), copy)
  fs.chmodSync(copy, 0o600)
  return resolve.exportEvents({ engine: 'sqlite', file: copy })
}

async function incrementalDump(work, caseName) {
  const store = { engine: 'sqlite', file: path.join(work, `${caseName}.db`) }
  await resolve.importEvents(store, null, fs.readFileSync(path.join(FIXTURES, 'incremental', 'base.export.ndjson'), 'utf8'))
  const events = readLines(path.join(FIXTURES, 'incremental', `${caseName}.input.ndjson`)).map((line) => JSON.parse(line))
  await resolve.incrementalImport(store, null, events)
  return Buffer.from(dumpText(await resolve.exportEvents(store, null)), 'utf8')
}

async function main() {
  const options = parseArguments(process.argv.slice(2))
  fs.mkdirSync(options.work, { recursive: true })
  const made = [['resolve-lite-600.export.ndjson', await exportOfStore(options.work)]]
  const cases = fs.readdirSync(path.join(FIXTURES, 'incremental')).filter((name) => name.endsWith('.input.ndjson')).sort()
  for (const input of cases) {
    const caseName = input.replace(/\.input\.ndjson$/, '')
    made.push([path.join('incremental', `${caseName}.expected.dump.ndjson`), await incrementalDump(options.work, caseName)])
  }
  let differing = 0
  for (const [relative, bytes] of made) {
    const file = path.join(FIXTURES, relative)
    if (options.write) {
      fs.writeFileSync(file, bytes)
      console.log(`wrote ${relative} (${bytes.length} bytes)`)
    } else if (!fs.existsSync(file) || !bytes.equals(fs.readFileSync(file))) {
      differing++
      console.log(`DIFFERS ${relative}: reSolve now writes ${bytes.length} bytes, the committed copy differs`)
    } else {
      console.log(`same ${relative} (${bytes.length} bytes)`)
    }
  }
  console.log(`${made.length} fixture files remade by reSolve, ${differing} differ from the committed copies`)
  process.exit(differing === 0 ? 0 : 1)
}

main().catch((error) => {
  console.error(error)
  process.exit(2)
})
