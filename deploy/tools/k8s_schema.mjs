// Offline schema validation of Kubernetes manifests with the npm package kubernetes-models
// (OpenAPI schemas of a recent Kubernetes release, compiled to validators), in two passes:
//   1. runtime: Model.validate() — types, formats, required fields, enums;
//   2. strict:  every object literal type-checked by TypeScript against the model's interface,
//      so an unknown or misspelt field (excess property) is an error, as kubeconform -strict does.
// Usage: node k8s_schema.mjs TOOLS_DIR FILE.yaml...   (TOOLS_DIR holds node_modules with
// kubernetes-models, js-yaml and typescript). Prints one PASS/FAIL line per object, then
// "N passed, N failed".
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [toolsDir, ...files] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(toolsDir), "package.json"));
const yaml = require("js-yaml");

let passed = 0, failed = 0;
const report = (ok, name, detail) => {
  ok ? passed++ : failed++;
  console.log(`${ok ? "PASS" : "FAIL"} ${name}${!ok && detail ? ` (${detail})` : ""}`);
};

const docs = [];
for (const f of files) {
  for (const d of yaml.loadAll(fs.readFileSync(f, "utf8"))) {
    if (d) docs.push({ file: path.basename(f), doc: d });
  }
}

const modelPath = (apiVersion, kind) => `kubernetes-models/${apiVersion}/${kind}`;
const ts = [];
for (const [i, { file, doc }] of docs.entries()) {
  const name = `${file}: ${doc.kind}/${doc.metadata?.name}`;
  let mod;
  try {
    const file = path.join(path.resolve(toolsDir), "node_modules", `${modelPath(doc.apiVersion, doc.kind)}.js`);
    mod = await import(pathToFileURL(file).href);
  } catch (e) {
    report(false, `${name} schema`, `no model for ${doc.apiVersion} ${doc.kind}: ${e.message}`);
    continue;
  }
  try {
    new mod[doc.kind](doc).validate();
    report(true, `${name} schema (types, required fields)`);
  } catch (e) {
    report(false, `${name} schema (types, required fields)`, e.message);
  }
  ts.push({ i, name, line: `import type { I${doc.kind} as T${i} } from "${modelPath(doc.apiVersion, doc.kind)}";\n` +
    `export const d${i}: T${i} = ${JSON.stringify(doc, null, 1)};\n` });
}

// Strict pass: one .ts file per object inside TOOLS_DIR (so that module resolution finds the types).
const work = fs.mkdtempSync(path.join(path.resolve(toolsDir), "k8s-strict-"));
try {
  for (const t of ts) fs.writeFileSync(path.join(work, `d${t.i}.ts`), t.line);
  fs.writeFileSync(path.join(work, "tsconfig.json"), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, module: "nodenext",
      moduleResolution: "nodenext", target: "es2022", types: [] },
    include: ["*.ts"],
  }));
  let out = "", tscFailed = false;
  try {
    execFileSync(path.join(path.resolve(toolsDir), "node_modules/.bin/tsc"), ["-p", work], { encoding: "utf8" });
  } catch (e) {
    out = (e.stdout || "") + (e.stderr || "");
    tscFailed = true;
  }
  const lines = out.split("\n").filter((l) => l.trim());
  let attributed = 0;
  for (const t of ts) {
    const re = new RegExp(`(^|[\\/])d${t.i}\\.ts\\(`);
    const errs = lines.filter((l) => re.test(l));
    attributed += errs.length;
    report(errs.length === 0, `${t.name} strict (no unknown fields)`,
      errs.map((l) => l.replace(/^.*d\d+\.ts/, "line ")).join("; ").slice(0, 600));
  }
  // tsc failing for a reason tied to no object (configuration, missing types) must not pass.
  if (tscFailed && attributed === 0) report(false, "TypeScript strict pass ran", out.slice(0, 600));
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
