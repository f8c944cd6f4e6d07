// Entry point of the component package for Pulumi's schema inference: `pulumi package add` runs this
// directory as a plugin, and the analyzer that infers the schema from TypeScript types starts at
// `index.ts` here, because `main` points at compiled JavaScript. The runtime loads `main`; both
// export the same classes.
export * from "./components";
