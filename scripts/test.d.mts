// Types of test.mjs for the TypeScript that imports it (tests/support/postgres.ts).
export declare function which(name: string): string | null;
export declare function findChromium(): string | null;
export declare function findPostgresBin(): string | null;
export declare function detectTools(): { chromium: string; missing: string[] };
