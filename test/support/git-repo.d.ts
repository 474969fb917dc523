export interface TestRepo {
    readonly dir: string;
    /** Writes files (path → content; null deletes) into the work tree. */
    write(files: Readonly<Record<string, string | Uint8Array | null>>): void;
    symlink(path: string, target: string): void;
    /** Stages everything and commits; returns the commit oid. */
    commit(message: string): string;
    git(...args: string[]): string;
    cleanup(): void;
}
export declare function createTestRepo(opts?: {
    prefix?: string;
}): TestRepo;
