/**
 * Bench helper: holds N established loopback TCP connections (2N sockets) in this process, prints
 * "ready <pid>" and stays until stdin closes or a hard time limit passes. Loopback only.
 */
import net from 'node:net';

const n = Number(process.argv[2] ?? 1000);
const limitMs = Number(process.argv[3] ?? 120000);
const server = net.createServer((s) => { s.on('error', () => {}); });
const clients: net.Socket[] = [];
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as net.AddressInfo;
  let accepted = 0;
  let connected = 0;
  const check = () => { if (connected === n && accepted === n) process.stdout.write(`ready ${process.pid}\n`); };
  server.on('connection', () => { accepted++; check(); });
  let i = 0;
  const open = () => {
    // Bounded pacing: at most 500 connects in flight, so the listen backlog never overflows.
    while (i < n && i - connected < 500) {
      i++;
      const c = net.connect(port, '127.0.0.1', () => { connected++; check(); open(); });
      c.on('error', (e) => { process.stderr.write(`connect: ${e.message}\n`); process.exit(1); });
      clients.push(c);
    }
  };
  open();
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
setTimeout(() => process.exit(0), limitMs).unref();
