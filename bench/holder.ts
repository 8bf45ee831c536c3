/**
 * Bench helper: holds N established loopback TCP connections (2N sockets) in this process, prints
 * "ready <pid>" and stays until stdin closes or a hard time limit passes. Loopback only.
 * Usage: node holder.js N limitMs fromAddress
 */
import net from 'node:net';

const n = Number(process.argv[2] ?? 1000);
const limitMs = Number(process.argv[3] ?? 120000);
// Each holder connects from its own loopback address, so holders never compete for ephemeral ports.
const fromAddress = process.argv[4] ?? '127.0.0.1';
const server = net.createServer((s) => { s.on('error', () => {}); });
const clients: net.Socket[] = [];
// A deep accept queue: on a busy machine this loop may lag behind the kernel's handshakes.
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
  const { port } = server.address() as net.AddressInfo;
  let accepted = 0;
  let connected = 0;
  const check = () => { if (connected === n && accepted === n) process.stdout.write(`ready ${process.pid}\n`); };
  server.on('connection', () => { accepted++; check(); });
  let i = 0;
  const open = () => {
    // Bounded pacing: at most 256 connects in flight, far below the backlog, so it never overflows.
    while (i < n && i - connected < 256) {
      i++;
      const c = net.connect({ port, host: '127.0.0.1', localAddress: fromAddress }, () => { connected++; check(); open(); });
      c.on('error', (e) => { process.stderr.write(`connect: ${e.message}\n`); process.exit(1); });
      clients.push(c);
    }
  };
  open();
});
// Close with RST, so no TIME_WAIT sockets linger into the next measurement.
const quit = () => { for (const c of clients) c.resetAndDestroy(); setTimeout(() => process.exit(0), 200); };
process.stdin.on('end', quit);
process.stdin.resume();
setTimeout(quit, limitMs).unref();
