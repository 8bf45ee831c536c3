/**
 * Bench helper: opens and closes `rate` loopback TCP connections per second (each closed with RST
 * right after it is accepted, so no TIME_WAIT builds up), prints "ready <pid>", and reports the
 * count on stdout when stdin closes or a hard time limit passes. Loopback only, bounded in time.
 * Usage: node churn.js rate limitMs
 */
import net from 'node:net';

const rate = Number(process.argv[2] ?? 2000);
const limitMs = Number(process.argv[3] ?? 120000);
const TICK_MS = 10;
let made = 0;
let failed = 0;
const server = net.createServer((s) => { s.on('error', () => {}); s.resetAndDestroy(); });
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as net.AddressInfo;
  const start = Date.now();
  const timer = setInterval(() => {
    // Catch up to the rate from the start (a late tick opens more), at most 500 in flight.
    const due = Math.floor(((Date.now() - start) / 1000) * rate) - made;
    for (let i = 0; i < Math.min(due, 500); i++) {
      made++;
      const c = net.connect({ port, host: '127.0.0.1' });
      c.on('error', () => { failed++; });
      c.on('close', () => c.destroy());
    }
  }, TICK_MS);
  const quit = () => { clearInterval(timer); process.stdout.write(`done ${made} ${failed}\n`); setTimeout(() => process.exit(0), 100); };
  process.stdin.on('end', quit);
  process.stdin.resume();
  setTimeout(quit, limitMs).unref();
  process.stdout.write(`ready ${process.pid}\n`);
});
