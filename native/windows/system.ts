/**
 * Loading Windows system DLLs by full path. kernel32.dll is a KnownDLL (the loader maps the
 * system's own copy whatever the search path), so it alone is loaded by name; it gives the system
 * directory (GetSystemDirectoryW), and every other DLL is loaded from there by full path, never by
 * a bare name that a planted DLL in the current or the application folder could answer.
 */
import koffi from 'koffi';

export class Win32UnavailableError extends Error {
  readonly code = 'PR_NATIVE_UNAVAILABLE';
}

export type Library = ReturnType<typeof koffi.load>;

let kernel32Lib: Library | undefined;
let systemDir: string | undefined;

/** kernel32.dll (a KnownDLL). */
export function kernel32Library(): Library {
  if (!kernel32Lib) {
    try { kernel32Lib = koffi.load('kernel32.dll'); } catch (e) { throw new Win32UnavailableError(`cannot load kernel32.dll: ${(e as Error).message}`); }
  }
  return kernel32Lib;
}

/** C:\Windows\System32 (as the system reports it). */
export function systemDirectory(): string {
  if (systemDir) return systemDir;
  const get = kernel32Library().func('uint32_t __stdcall GetSystemDirectoryW(void *lpBuffer, uint32_t uSize)');
  const buf = Buffer.alloc(1024);
  const n = get(buf, 512) as number;
  if (n === 0 || n >= 512) throw new Win32UnavailableError('GetSystemDirectoryW failed');
  systemDir = buf.toString('utf16le', 0, n * 2);
  return systemDir;
}

const loaded = new Map<string, Library>();

/** A DLL of the system directory, by full path. */
export function systemLibrary(name: string): Library {
  let lib = loaded.get(name);
  if (!lib) {
    const path = `${systemDirectory()}\\${name}`;
    try { lib = koffi.load(path); } catch (e) { throw new Win32UnavailableError(`cannot load ${path}: ${(e as Error).message}`); }
    loaded.set(name, lib);
  }
  return lib;
}

/** A function that may be missing (Wine, older Windows): bound on first use, null when absent. */
export function optionalFunction<T>(lib: () => Library, prototype: string): () => T | null {
  let fn: T | null | undefined;
  return () => {
    if (fn === undefined) {
      try { fn = lib().func(prototype) as T; } catch { fn = null; }
    }
    return fn;
  };
}

/** A UTF-16LE buffer of `chars` characters. */
export const wide = (chars: number) => Buffer.alloc(chars * 2);
/** A NUL-terminated UTF-16LE argument. */
export const wideArg = (s: string) => Buffer.from(s + '\0', 'utf16le');
