// Validates Kubernetes objects with the kubernetes-models packages (npm), a second opinion beside KubernetesClient's
// strict parse. Reads one JSON object per line on stdin (chart-render -json prints that) and writes one JSON line per
// object: {"index", "apiVersion", "kind", "name", "errors": ["<path>: <message>", ...]}. Exits 0 when it could judge
// every object (errors or not); 2 on unreadable input.
//
// Two checks per object:
// 1. The model's own validate(): types, required fields, enums and formats from the package's schema.
// 2. Fields the schema does not define. validate() accepts them (the generated schemas leave additionalProperties open),
//    so a misspelt field (`resource:` for `resources:`) would pass. The packages ship their schemas only as compiled
//    validators (ajv standalone code in _schemas/), no JSON: so the object is validated a second time through a Proxy
//    that records which properties the compiled validator reads at each path. A validator reads every property its
//    schema defines, so a key it never read is one the schema does not define. An object whose properties it read none
//    of is one the schema leaves open (maps such as labels, or x-kubernetes-preserve-unknown-fields such as Argo CD's
//    helm.valuesObject): its keys are all accepted and nothing under it is judged.
//    One blind spot: the packages' generator drops every property named "description" from the compiled validators
//    (documentation keys stripped along with a real field: AppProject's spec.description, a PriorityClass's), so a key
//    named "description" is accepted here; KubernetesClient's strict parse still checks it against the typed schemas.
import { createInterface } from "node:readline";

// The package holding the models of each API group; the core and built-in groups are in kubernetes-models.
const packages = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "argoproj.io": "@kubernetes-models/argo-cd",
  "cert-manager.io": "@kubernetes-models/cert-manager",
  "external-secrets.io": "@kubernetes-models/external-secrets",
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
};

async function modelFor(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !/^[A-Za-z0-9]+$/.test(kind)) return null;
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const module = group === ""
    ? `kubernetes-models/${apiVersion}/${kind}`
    : `${packages[group] ?? "kubernetes-models"}/${apiVersion}/${kind}`;
  try {
    return (await import(module))[kind] ?? null;
  } catch (e) {
    if (e.code === "ERR_MODULE_NOT_FOUND" || e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") return null;
    throw e;
  }
}

// Wraps value so that every property read is recorded in reads: path -> {value, read: Set of keys}.
function tracked(value, path, reads) {
  if (value === null || typeof value !== "object") return value;
  const read = new Set();
  reads.set(path, { value, read });
  return new Proxy(value, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key !== "string") return v;
      // A read of an absent property counts too: the validator asks for every property its schema defines.
      read.add(key);
      return Object.hasOwn(target, key) ? tracked(v, `${path}/${key}`, reads) : v;
    },
  });
}

function undefinedFields(Model, object) {
  const reads = new Map();
  try {
    Model.prototype.validate.call(tracked(structuredClone(object), "", reads));
  } catch {
    // validate()'s own errors are reported by the first check.
  }
  const open = [...reads].filter(([, { value, read }]) => !Array.isArray(value) && read.size === 0).map(([path]) => path);
  const errors = [];
  for (const [path, { value, read }] of reads) {
    if (Array.isArray(value) || read.size === 0 || open.some(o => path.startsWith(o + "/"))) continue;
    for (const key of Object.keys(value)) {
      if (!read.has(key) && key !== "description") errors.push(`${path}/${key}: field not defined by the schema`);
    }
  }
  return errors;
}

async function check(object) {
  const { apiVersion, kind } = object ?? {};
  const Model = await modelFor(apiVersion, kind);
  if (Model === null) return [`/: no kubernetes-models model for apiVersion ${apiVersion}, kind ${kind}`];
  const errors = [];
  try {
    new Model(object).validate();
  } catch (e) {
    if (!Array.isArray(e.errors)) throw e;
    for (const err of e.errors) {
      const at = err.params?.missingProperty !== undefined ? `${err.instancePath}/${err.params.missingProperty}` : err.instancePath;
      errors.push(`${at || "/"}: ${err.message}`);
    }
  }
  return [...errors, ...undefinedFields(Model, object)];
}

let index = 0;
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (line.trim() === "") continue;
  let object;
  try {
    object = JSON.parse(line);
  } catch (e) {
    process.stderr.write(`line ${index + 1} is not JSON: ${e.message}\n`);
    process.exit(2);
  }
  const errors = await check(object);
  process.stdout.write(JSON.stringify({
    index, apiVersion: object?.apiVersion ?? null, kind: object?.kind ?? null, name: object?.metadata?.name ?? null, errors,
  }) + "\n");
  index++;
}
