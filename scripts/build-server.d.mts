// Types of build-server.mjs for the TypeScript that imports it (tests/support/child-server.ts, the benchmark).
export declare function serverHash(root?: string): string;
export declare function buildServer(options?: { root?: string; force?: boolean; quiet?: boolean }): Promise<string>;
