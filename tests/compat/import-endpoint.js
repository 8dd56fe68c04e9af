'use strict'
// A reSolve application's import API handler, as reSolve documents it, over reSolve's real eventstore-lite: it
// reads the request body in the charset of its Content-Type (UTF-8 by default), JSON.parse's it into an array of
// events and calls the adapter's incrementalImport(events). Listens on 127.0.0.1 (port 0) and prints {"port":N}.
//   node import-endpoint.js --store <file> [--fail-first N] [--token T]
//     POST /api/import-events: 200 {"imported":n}, 500 on an adapter error, 400 on a body it cannot read;
//     --fail-first N answers 503 to the first N posts; --token T requires "Authorization: Bearer T" (401 otherwise).
//     GET /stats: {"posts":n} (every POST received, answered or not).
//   node import-endpoint.js --direct <store> --events <file.json>: incrementalImport of that array, directly.

const http = require('http')
const fs = require('fs')
const { initStore, incrementalImport } = require('./lib/resolve')

function option(name, fallback) {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : fallback
}

function send(response, status, body) {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' })
  response.end(JSON.stringify(body))
}

async function direct() {
  const store = { engine: 'sqlite', file: option('--direct') }
  await initStore(store)
  await incrementalImport(store, null, JSON.parse(fs.readFileSync(option('--events'), 'utf8')))
}

async function serve() {
  const store = { engine: 'sqlite', file: option('--store') }
  await initStore(store)
  let failFirst = Number(option('--fail-first', '0'))
  const token = option('--token')
  let posts = 0
  // One import at a time, as one application instance with one adapter would run them.
  let queue = Promise.resolve()

  const server = http.createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/stats') return send(response, 200, { posts })
    if (request.method !== 'POST' || request.url !== '/api/import-events') return send(response, 404, { error: `no handler for ${request.method} ${request.url}` })
    posts++
    const chunks = []
    request.on('data', (chunk) => chunks.push(chunk))
    request.on('end', () => {
      if (token !== undefined && request.headers.authorization !== `Bearer ${token}`) return send(response, 401, { error: 'unauthorized: a bearer token is required' })
      if (failFirst > 0) {
        failFirst--
        return send(response, 503, { error: 'busy, try again' })
      }
      let events
      try {
        const charset = /charset=([^;]+)/i.exec(request.headers['content-type'] || '')
        const text = new TextDecoder(charset ? charset[1].trim().replace(/^"|"$/g, '') : 'utf-8').decode(Buffer.concat(chunks))
        events = JSON.parse(text)
        if (!Array.isArray(events)) throw new Error('the body is not an array of events')
      } catch (error) {
        return send(response, 400, { error: String(error.message || error) })
      }
      queue = queue.then(async () => {
        try {
          await incrementalImport(store, null, events)
          send(response, 200, { imported: events.length })
        } catch (error) {
          send(response, 500, { error: String(error.message || error) })
        }
      })
    })
  })
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })))
}

;(option('--direct') ? direct() : serve()).catch((error) => {
  console.error(error)
  process.exit(1)
})
