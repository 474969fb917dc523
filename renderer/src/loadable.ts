/** Something the engine is asked for, as the screen shows it: not asked yet, on its way, there, or failed. */
export type Loadable<T> = { readonly status: 'idle' } | { readonly status: 'loading' } | { readonly status: 'ready'; readonly value: T } | { readonly status: 'failed'; readonly error: unknown };
