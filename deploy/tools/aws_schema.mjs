// Offline check of the ECS JSON files against the AWS SDK for JavaScript v3 request types, with
// TypeScript in strict mode: an unknown or misspelt field, a wrong type or a value outside an
// enum (networkMode, protocol, logDriver, PolicyType, ...) is an error. This checks the shape
// the AWS API accepts, not the values (ARNs, CPU/memory pairs are checked by check_ecs.py).
// Usage: node aws_schema.mjs TOOLS_DIR FILE.json...   (TOOLS_DIR holds node_modules with
// typescript, @aws-sdk/client-ecs, @aws-sdk/client-application-auto-scaling)
//   *.task.json             -> ECS RegisterTaskDefinitionCommandInput (aws ecs register-task-definition --cli-input-json)
//   *.service.json          -> ECS CreateServiceCommandInput (aws ecs create-service --cli-input-json)
//   *.scalable-target.json  -> RegisterScalableTargetCommandInput (aws application-autoscaling register-scalable-target)
//   *-policy.json           -> PutScalingPolicyCommandInput (aws application-autoscaling put-scaling-policy)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const [toolsDir, ...files] = process.argv.slice(2);
const tools = path.resolve(toolsDir);
const TYPES = [
  [/\.task\.json$/, "@aws-sdk/client-ecs", "RegisterTaskDefinitionCommandInput"],
  [/\.service\.json$/, "@aws-sdk/client-ecs", "CreateServiceCommandInput"],
  [/\.scalable-target\.json$/, "@aws-sdk/client-application-auto-scaling", "RegisterScalableTargetCommandInput"],
  [/-policy\.json$/, "@aws-sdk/client-application-auto-scaling", "PutScalingPolicyCommandInput"],
];
let passed = 0, failed = 0;
const report = (ok, name, detail) => {
  ok ? passed++ : failed++;
  console.log(`${ok ? "PASS" : "FAIL"} ${name}${!ok && detail ? ` (${detail})` : ""}`);
};
const work = fs.mkdtempSync(path.join(tools, "aws-strict-"));
const items = [];
try {
  files.forEach((f, i) => {
    let doc;
    try {
      doc = JSON.parse(fs.readFileSync(f, "utf8"));
      report(true, `${f}: JSON syntax`);
    } catch (e) {
      report(false, `${f}: JSON syntax`, e.message);
      return;
    }
    const t = TYPES.find(([re]) => re.test(f));
    if (!t) { report(false, `${f}: known file kind`, "name it *.task.json, *.service.json, ..."); return; }
    fs.writeFileSync(path.join(work, `f${i}.ts`),
      `import type { ${t[2]} as T } from "${t[1]}";\nexport const v: T = ${JSON.stringify(doc, null, 1)};\n`);
    items.push({ i, f, type: t[2] });
  });
  fs.writeFileSync(path.join(work, "tsconfig.json"), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, module: "nodenext",
      moduleResolution: "nodenext", target: "es2022", types: [] }, include: ["*.ts"] }));
  let out = "", tscFailed = false;
  try {
    execFileSync(path.join(tools, "node_modules/.bin/tsc"), ["-p", work], { encoding: "utf8" });
  } catch (e) { out = (e.stdout || "") + (e.stderr || ""); tscFailed = true; }
  const lines = out.split("\n").filter((l) => l.trim());
  let attributed = 0;
  for (const it of items) {
    const re = new RegExp(`(^|[\\\\/])f${it.i}\\.ts\\(`);
    const errs = lines.filter((l) => re.test(l));
    attributed += errs.length;
    report(errs.length === 0, `${it.f}: matches ${it.type} (strict)`,
      errs.map((l) => l.replace(/^.*f\d+\.ts/, "line ")).join("; ").slice(0, 600));
  }
  if (tscFailed && attributed === 0) report(false, "TypeScript strict pass ran", out.slice(0, 600));
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
