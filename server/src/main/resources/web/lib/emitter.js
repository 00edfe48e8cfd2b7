export class Emitter {
  constructor() {
    this.handlers = new Map();
  }

  on(name, fn) {
    if (!this.handlers.has(name)) this.handlers.set(name, new Set());
    this.handlers.get(name).add(fn);
    return () => this.handlers.get(name)?.delete(fn);
  }

  emit(name, payload) {
    for (const fn of this.handlers.get(name) ?? []) {
      try {
        fn(payload);
      } catch (err) {
        // A broken listener must not break the sync loop that called it.
        console.error(`listener for ${name} failed`, err);
      }
    }
  }
}
