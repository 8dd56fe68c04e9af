// Writes the expected canonical texts of the canonicalizer tests with real JavaScript (run with Node 20):
//   node make-cases.js
// canonical-cases.txt: input TAB JSON.stringify(JSON.parse(input)), for every line of canonical-inputs.txt.
// number-cases.txt: text TAB JSON.stringify(JSON.parse(text)) for seeded random doubles (as bits printed by
// .NET's "R") and random decimal texts, which checks both the parsing and the printing of numbers.
const fs = require('fs');
const inputs = fs.readFileSync(__dirname + '/canonical-inputs.txt', 'utf8').split('\n').filter((l) => l.length > 0);
fs.writeFileSync(__dirname + '/canonical-cases.txt',
  inputs.map((input) => `${input}\t${JSON.stringify(JSON.parse(input))}`).join('\n') + '\n');

let seed = 20261203;
const random = () => {
  // mulberry32
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const digits = (n) => Array.from({ length: n }, (_, i) => String(Math.floor(random() * 10) || (i === 0 ? 1 : 0))).join('');
const lines = [];
const view = new DataView(new ArrayBuffer(8));
for (let i = 0; i < 1500; i++) {
  // A random double from random bits (finite only): printed by Node, and given to .NET as the same bits.
  view.setUint32(0, Math.floor(random() * 4294967296));
  view.setUint32(4, Math.floor(random() * 4294967296));
  const x = view.getFloat64(0);
  if (!Number.isFinite(x)) continue;
  const bits = view.getBigUint64(0).toString(16).padStart(16, '0');
  lines.push(`bits:${bits}\t${JSON.stringify(x)}`);
}
for (let i = 0; i < 1500; i++) {
  // Decimal texts with more digits than a double holds, around every exponent, and long integers.
  const kind = i % 3;
  let text;
  if (kind === 0) text = `${random() < 0.5 ? '-' : ''}${digits(1)}.${digits(1 + Math.floor(random() * 25))}e${Math.floor(random() * 640) - 330}`;
  else if (kind === 1) text = digits(16 + Math.floor(random() * 12));
  else text = `0.${'0'.repeat(Math.floor(random() * 8))}${digits(1 + Math.floor(random() * 20))}`;
  lines.push(`${text}\t${JSON.stringify(JSON.parse(text))}`);
}
fs.writeFileSync(__dirname + '/number-cases.txt', lines.join('\n') + '\n');
