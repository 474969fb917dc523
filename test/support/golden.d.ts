export declare function expectGolden(path: string, actual: string): void;
export declare function expectGoldenJson(path: string, actual: unknown): void;
