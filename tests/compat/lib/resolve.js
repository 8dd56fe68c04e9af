'use strict'
// reSolve's own adapters (@resolve-js/eventstore-lite and -postgresql 0.34.3) behind one small interface, and
// the raw rows of a store as each engine holds them. Used by the compatibility suite and by writer.js.

const { Readable } = require('stream')
const { pipeline } = require('stream/promises')
const Database = require('better-sqlite3')
const { Client } = require('pg')
const createLiteAdapter = require('@resolve-js/eventstore-lite').default
const createPostgresAdapter = require('@resolve-js/eventstore-postgresql').default

const MANUAL = Symbol.for('MAINTENANCE_MODE_MANUAL')

// `store` is { engine: 'sqlite', file } or { engine: 'postgres', schema } with `postgres` =
// { host, port, user, database } for the server.
function createAdapter(store, postgres) {
  if (store.engine === 'sqlite') return createLiteAdapter({ databaseFile: store.file })
  return createPostgresAdapter({ databaseName: store.schema, ...postgres })
}

async function withPostgres(postgres, action) {
  const client = new Client(postgres)
  await client.connect()
  try {
    return await action(client)
  } finally {
    await client.end()
  }
}

function quoteId(name) {
  return '"' + name.replace(/"/g, '""') + '"'
}

// reSolve's PostgreSQL adapter expects its schema to exist (its databaseName); it creates only the tables.
async function createSchema(store, postgres) {
  if (store.engine === 'postgres') await withPostgres(postgres, (c) => c.query(`CREATE SCHEMA IF NOT EXISTS ${quoteId(store.schema)}`))
}

// An empty store with reSolve's schema, as an application's first start leaves it.
async function initStore(store, postgres) {
  await createSchema(store, postgres)
  const adapter = createAdapter(store, postgres)
  try {
    await adapter.init()
  } finally {
    await adapter.dispose()
  }
}

async function withAdapter(store, postgres, action) {
  const adapter = createAdapter(store, postgres)
  try {
    return await action(adapter)
  } finally {
    await adapter.dispose()
  }
}

// reSolve's importEvents (AUTO: drop, re-create, load) of NDJSON text. On SQLite into an initialized store (the
// import re-creates only the events tables); on PostgreSQL it creates every table itself.
async function importEvents(store, postgres, text) {
  if (store.engine === 'sqlite') await initStore(store, postgres)
  else await createSchema(store, postgres)
  return withAdapter(store, postgres, (adapter) => pipeline(Readable.from([Buffer.from(text, 'utf8')]), adapter.importEvents()))
}

// reSolve's exportEvents, the exact bytes (MANUAL: the store is not frozen and unfrozen around it).
function exportEvents(store, postgres) {
  return withAdapter(store, postgres, async (adapter) => {
    const chunks = []
    for await (const chunk of adapter.exportEvents({ maintenanceMode: MANUAL })) chunks.push(chunk)
    return Buffer.concat(chunks)
  })
}

function saveEvents(store, postgres, events) {
  return withAdapter(store, postgres, async (adapter) => {
    for (const event of events) await adapter.saveEvent(event)
  })
}

function incrementalImport(store, postgres, events) {
  return withAdapter(store, postgres, (adapter) => adapter.incrementalImport(events))
}

// aggregateId and type (columns 3 and 5) quoted, the other columns as they are, the payload text last and raw.
const rowText = (row) => row.map((value, i) => (i === row.length - 1 ? String(value) : i === 3 || i === 5 ? JSON.stringify(value) : String(value))).join(' | ')

// Every row of the events table (and on PostgreSQL of events-threads), one line each, in key order.
async function storeRows(store, postgres) {
  if (store.engine === 'sqlite') {
    const db = new Database(store.file, { readonly: true, fileMustExist: true })
    try {
      const events = db.prepare('SELECT threadId, threadCounter, timestamp, aggregateId, aggregateVersion, type, typeof(payload) AS payloadType, payload FROM events ORDER BY threadId, threadCounter')
      events.safeIntegers(true)
      events.raw(true)
      return events.all().map(rowText)
    } finally {
      db.close()
    }
  }
  return withPostgres(postgres, async (client) => {
    const schema = quoteId(store.schema)
    const events = await client.query({ rowMode: 'array', text: `SELECT "threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type", "eventSize", "payload"::text AS "payload" FROM ${schema}."events" ORDER BY 1, 2` })
    const threads = await client.query({ rowMode: 'array', text: `SELECT "threadId", "threadCounter" FROM ${schema}."events-threads" ORDER BY 1` })
    return events.rows.map(rowText)
      .concat(threads.rows.map((row) => 'events-threads ' + row.join(' | ')))
  })
}

module.exports = { initStore, importEvents, exportEvents, saveEvents, incrementalImport, storeRows, createAdapter, withPostgres, quoteId }
