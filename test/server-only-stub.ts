// `server-only` throws outside a React Server Components bundle; in vitest the code is on the server.
export {};
