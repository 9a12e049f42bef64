/** Types for `lazy-packages.mjs` (plain JavaScript so that CDK's bundling hook can run it with `node`). */
export declare const LAZY_PACKAGES: readonly string[];
export declare function bundleLazyPackages(
  outputDir: string,
  options?: { readonly target?: string; readonly minify?: boolean; readonly sourcemap?: boolean },
): Promise<string[]>;
