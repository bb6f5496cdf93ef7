// The package build: one ESM bundle in dist/ (tsc adds the type declarations next to it).
import { defineConfig } from "vite";

export default defineConfig({
  build: {
    lib: {
      entry: "src/index.ts",
      formats: ["es"],
      fileName: "index",
    },
    outDir: "dist",
    sourcemap: true,
    minify: false,
    target: "es2022",
    rolldownOptions: {
      external: [/^@bufbuild\/protobuf/],
    },
  },
});
