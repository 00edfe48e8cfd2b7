// Web storage that may be missing or refused (private modes, disabled
// cookies, sandboxed frames throw on access): the page then runs without it.

/** The storage `get` returns if it can be read, else null. */
export function usableStorage(get) {
  try {
    const s = get();
    s.getItem('probe');
    return s;
  } catch {
    return null;
  }
}
