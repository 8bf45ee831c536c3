#!/usr/bin/env node
// The release build: `npm run package` (after `npm run build` and the module's dotnet build).
// Writes a self-contained module folder and a .nupkg that PowerShell's Install-PSResource takes:
//   out/PortReport/<version>/       PortReport.psd1 (FunctionsToExport from the Public file names),
//                                   PortReport.psm1 (the loader, then Private, then Public, in one
//                                   file), the format and type files, bin/PortReport.Records.dll,
//                                   sidecar/ (the CLI bundled and minified, its worker, and the
//                                   production packages that carry native code: koffi, DuckDB)
//   out/packages/PortReport.<version>.nupkg
// The development layout (powershell/PortReport + dist/) stays as it is; the module finds its
// sidecar at sidecar/main.js when installed, at ../../dist/src/cli/main.js in a working copy.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEV = join(ROOT, 'powershell', 'PortReport');
// Packages the bundle leaves out because they load native addons next to their own files.
const EXTERNAL = ['koffi', '@duckdb/node-api'];

function fail(msg) {
  process.stderr.write(`package: ${msg}\n`);
  process.exit(1);
}

const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const manifest = readFileSync(join(DEV, 'PortReport.psd1'), 'utf8');
const manifestVersion = /ModuleVersion\s*=\s*'([^']+)'/.exec(manifest)?.[1];
if (manifestVersion !== version) fail(`package.json says ${version}, PortReport.psd1 says ${manifestVersion}: make them equal`);
for (const need of ['dist/src/cli/main.js', 'powershell/PortReport/bin/PortReport.Records.dll']) {
  if (!existsSync(join(ROOT, need))) fail(`${need} is missing: run 'bash scripts/setup.sh' (it builds both) first`);
}

const outModule = join(ROOT, 'out', 'PortReport', version);
const outPackages = join(ROOT, 'out', 'packages');
rmSync(join(ROOT, 'out', 'PortReport'), { recursive: true, force: true });
mkdirSync(outModule, { recursive: true });
mkdirSync(outPackages, { recursive: true });

// The sidecar: one bundle per entry (the CLI and its two workers, socket scan and namespaces, which it starts by a
// path next to its own), commands split into chunks so each still loads only its own code.
const sidecar = join(outModule, 'sidecar');
await build({
  entryPoints: {
    main: join(ROOT, 'dist/src/cli/main.js'),
    'parallel-worker': join(ROOT, 'dist/src/collect/linux/parallel-worker.js'),
    'netns-worker': join(ROOT, 'dist/src/collect/linux/netns-worker.js'),
  },
  outdir: sidecar,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'linked',
  chunkNames: 'chunk-[hash]',
  external: EXTERNAL,
  logLevel: 'warning',
  // CommonJS code inside an ES bundle may call require(): give it Node's.
  banner: { js: "import{createRequire as __prRequire}from'node:module';const require=__prRequire(import.meta.url);" },
});
writeFileSync(join(sidecar, 'package.json'), JSON.stringify({ name: 'portreport-sidecar', version, type: 'module', private: true }, null, 2) + '\n');

// The external packages and everything they need, as installed (the platform's own prebuilt
// binaries come with them: optional dependencies that are present).
const copied = new Set();
function copyPackage(name) {
  if (copied.has(name)) return;
  const from = join(ROOT, 'node_modules', name);
  if (!existsSync(join(from, 'package.json'))) return;
  copied.add(name);
  cpSync(from, join(sidecar, 'node_modules', name), { recursive: true, dereference: true });
  const pkg = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8'));
  for (const dep of [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]) copyPackage(dep);
}
for (const name of EXTERNAL) {
  if (!existsSync(join(ROOT, 'node_modules', name))) fail(`node_modules/${name} is missing: run 'npm ci'`);
  copyPackage(name);
}

// The module: the loader with the sources inlined (Private first: the cmdlets call them).
const loader = readFileSync(join(DEV, 'PortReport.psm1'), 'utf8');
const begin = loader.indexOf('# region sources');
const end = loader.indexOf('# endregion sources');
if (begin < 0 || end < 0) fail('PortReport.psm1 lacks its "# region sources" ... "# endregion sources" markers');
const ps1 = (folder) => readdirSync(join(DEV, folder)).filter((f) => f.endsWith('.ps1')).sort();
const publicNames = ps1('Public').map((f) => f.slice(0, -4));
const sources = ['Private', 'Public']
  .flatMap((folder) => ps1(folder).map((f) => `# --- ${folder}/${f}\n${readFileSync(join(DEV, folder, f), 'utf8').trimEnd()}\n`))
  .join('\n');
// What follows the sources (the stand-in aliases) is kept; the export names the functions by file.
const tail = loader.slice(end + '# endregion sources'.length).replace(/Export-ModuleMember -Function \(Get-ChildItem[^\n]*\)\.BaseName/, `Export-ModuleMember -Function @(${publicNames.map((n) => `'${n}'`).join(', ')})`);
if (!tail.includes('Export-ModuleMember -Function @(')) fail('PortReport.psm1 lacks its Export-ModuleMember -Function (Get-ChildItem ...).BaseName line');
writeFileSync(join(outModule, 'PortReport.psm1'), loader.slice(0, begin) + sources + tail);
const functions = `FunctionsToExport    = @(${publicNames.map((n) => `'${n}'`).join(', ')})`;
if (!/FunctionsToExport\s*=\s*@\([^)]*\)/.test(manifest)) fail('PortReport.psd1 lacks a FunctionsToExport = @(...) line');
writeFileSync(join(outModule, 'PortReport.psd1'), manifest.replace(/FunctionsToExport\s*=\s*@\([^)]*\)/, functions));
for (const f of readdirSync(DEV).filter((f) => f.endsWith('.ps1xml'))) cpSync(join(DEV, f), join(outModule, f));
mkdirSync(join(outModule, 'bin'));
cpSync(join(DEV, 'bin', 'PortReport.Records.dll'), join(outModule, 'bin', 'PortReport.Records.dll'));

// The .nupkg, made by PowerShell's own packager so Install-PSResource reads it as it reads any.
const pwsh = process.env.PWSH ?? join(process.env.HOME ?? '', '.dotnet', 'tools', 'pwsh');
rmSync(join(outPackages, `PortReport.${version}.nupkg`), { force: true });
execFileSync(pwsh, ['-NoProfile', '-NonInteractive', '-Command',
  '$ErrorActionPreference = "Stop"; Compress-PSResource -Path $env:PR_MODULE -DestinationPath $env:PR_PACKAGES'],
  { stdio: 'inherit', env: { ...process.env, PR_MODULE: outModule, PR_PACKAGES: outPackages } });
const nupkg = join(outPackages, `PortReport.${version}.nupkg`);
if (!existsSync(nupkg)) fail(`Compress-PSResource did not write ${nupkg}`);
process.stdout.write(`${outModule}\n${nupkg}\n`);
