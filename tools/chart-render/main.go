// chart-render renders a Helm chart as `helm template` does, for machines without helm: Go's text/template with the
// sprig functions and the Helm built-ins RagSuite's chart uses (include, tpl, required, fail, toYaml, fromYaml,
// toJson, fromJson, lookup, .Files, .Capabilities, .Release, .Chart, .Template). Values are the chart's values.yaml
// deep-merged with each -f file in order, then validated against the chart's values.schema.json (when it has one) as
// Helm does before rendering, with the library Helm 3 used for it (gojsonschema): a value the schema rejects fails the
// render, naming the value's path. With -strict a missing key is an error, as under `helm lint --strict`.
// A template error or a failed `required` exits non-zero and names the template. With -json each rendered document is
// printed as one line of JSON (converted as Kubernetes' sigs.k8s.io/yaml does), for checks that read objects, not text.
//
// Build offline: GO111MODULE=off GOPATH=<dir>:/usr/share/gocode go build -o chart-render .
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"github.com/ghodss/yaml"
	"github.com/xeipuuv/gojsonschema"
)

type valueFiles []string

func (v *valueFiles) String() string     { return strings.Join(*v, ",") }
func (v *valueFiles) Set(s string) error { *v = append(*v, s); return nil }

func main() {
	var files valueFiles
	flag.Var(&files, "f", "values file merged over the chart's values.yaml (repeatable, later wins)")
	release := flag.String("release", "ragsuite", "release name")
	namespace := flag.String("namespace", "ragsuite", "release namespace")
	kubeVersion := flag.String("kube-version", "v1.30.0", "Kubernetes version .Capabilities reports")
	strict := flag.Bool("strict", false, "fail on a missing map key, as helm lint --strict does")
	asJSON := flag.Bool("json", false, "print each rendered document as one line of JSON instead of YAML")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: chart-render [-f values.yaml]... [-strict] [-json] CHART_DIR")
		os.Exit(2)
	}
	out, err := render(flag.Arg(0), files, *release, *namespace, *kubeVersion, *strict)
	if err == nil && *asJSON {
		out, err = toJSONLines(out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "chart-render:", err)
		os.Exit(1)
	}
	os.Stdout.WriteString(out)
}

func render(chartDir string, files []string, release, namespace, kubeVersion string, strict bool) (string, error) {
	chart, err := readYaml(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		return "", err
	}
	values, err := readYaml(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		return "", err
	}
	for _, f := range files {
		more, err := readYaml(f)
		if err != nil {
			return "", err
		}
		values = merge(values, more)
	}
	if err := validateValues(chartDir, chart["name"], values); err != nil {
		return "", err
	}

	names, sources, err := templates(chartDir)
	if err != nil {
		return "", err
	}
	root := template.New("chart")
	if strict {
		root.Option("missingkey=error")
	} else {
		root.Option("missingkey=zero")
	}
	root.Funcs(functions(root))
	for _, name := range names {
		if _, err := root.New(name).Parse(sources[name]); err != nil {
			return "", err
		}
	}

	top := map[string]interface{}{
		"Values": values,
		"Chart": map[string]interface{}{
			"Name": chart["name"], "Version": chart["version"], "AppVersion": chart["appVersion"],
			"Description": chart["description"], "KubeVersion": chart["kubeVersion"],
		},
		"Release": map[string]interface{}{
			"Name": release, "Namespace": namespace, "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1,
		},
		"Capabilities": capabilities(kubeVersion),
		"Files":        chartFiles{dir: chartDir},
	}

	var out strings.Builder
	for _, name := range names {
		base := path.Base(name)
		if strings.HasPrefix(base, "_") || base == "NOTES.txt" {
			continue
		}
		scope := copyMap(top)
		scope["Template"] = map[string]interface{}{"Name": name, "BasePath": path.Join(chart["name"].(string), "templates")}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, name, scope); err != nil {
			return "", err
		}
		text := buf.String()
		if !strict {
			// What Helm does too: a missing key renders as nothing, not as Go's "<no value>".
			text = strings.ReplaceAll(text, "<no value>", "")
		}
		for _, doc := range strings.Split(text, "\n---") {
			if strings.TrimSpace(strings.TrimPrefix(doc, "---")) == "" {
				continue
			}
			fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", name, strings.TrimLeft(strings.TrimPrefix(doc, "---"), "\n"))
		}
	}
	return out.String(), nil
}

// validateValues checks the merged values against the chart's values.schema.json, as Helm does before it renders
// (helm install, upgrade, template and lint alike), and words the failure as Helm does: one line per error, each
// starting with the offending value's path ("gateway.replicas: Invalid type. Expected: integer, given: string";
// an unknown key is named by its parent: "gateway: Additional property replica is not allowed").
func validateValues(chartDir string, chartName interface{}, values map[string]interface{}) error {
	schema, err := os.ReadFile(filepath.Join(chartDir, "values.schema.json"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	result, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewGoLoader(values))
	if err != nil {
		return fmt.Errorf("values.schema.json: %v", err)
	}
	if result.Valid() {
		return nil
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "values don't meet the specifications of the schema(s) in the following chart(s):\n%v:\n", chartName)
	for _, e := range result.Errors() {
		fmt.Fprintf(&sb, "- %s\n", e)
	}
	return fmt.Errorf("%s", strings.TrimSuffix(sb.String(), "\n"))
}

// toJSONLines turns the rendered YAML stream into one JSON object per line, skipping documents that are only comments.
func toJSONLines(rendered string) (string, error) {
	var out strings.Builder
	for _, doc := range strings.Split(rendered, "\n---\n") {
		doc = strings.TrimPrefix(doc, "---\n")
		data, err := yaml.YAMLToJSON([]byte(doc))
		if err != nil {
			return "", fmt.Errorf("rendered document is not YAML: %v\n%s", err, doc)
		}
		if string(data) == "null" {
			continue
		}
		out.Write(data)
		out.WriteString("\n")
	}
	return out.String(), nil
}

// templates lists every file under templates/ by its name in Helm's form (ragsuite/templates/x.yaml), sorted.
func templates(chartDir string) ([]string, map[string]string, error) {
	chartName := filepath.Base(filepath.Clean(chartDir))
	sources := map[string]string{}
	root := filepath.Join(chartDir, "templates")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		text, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sources[path.Join(chartName, "templates", filepath.ToSlash(rel))] = string(text)
		return nil
	})
	names := make([]string, 0, len(sources))
	for name := range sources {
		names = append(names, name)
	}
	sort.Strings(names)
	return names, sources, err
}

func functions(root *template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	f["include"] = func(name string, data interface{}) (string, error) {
		var buf bytes.Buffer
		err := root.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		t, err := root.Clone()
		if err != nil {
			return "", err
		}
		if _, err := t.New("tpl").Parse(text); err != nil {
			return "", err
		}
		var buf bytes.Buffer
		err = t.ExecuteTemplate(&buf, "tpl", data)
		return buf.String(), err
	}
	f["required"] = func(message string, value interface{}) (interface{}, error) {
		if value == nil {
			return nil, fmt.Errorf("%s", message)
		}
		if s, ok := value.(string); ok && s == "" {
			return nil, fmt.Errorf("%s", message)
		}
		return value, nil
	}
	f["fail"] = func(message string) (string, error) { return "", fmt.Errorf("%s", message) }
	f["toYaml"] = func(v interface{}) string {
		data, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(data), "\n")
	}
	f["fromYaml"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["toJson"] = func(v interface{}) string {
		data, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(data)
	}
	f["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	// No cluster to look in: lookup finds nothing, as under `helm template`.
	f["lookup"] = func(apiVersion, kind, namespace, name string) map[string]interface{} { return map[string]interface{}{} }
	return f
}

type apiVersions []string

// Has says whether the cluster serves an API group version (or a version/Kind).
func (a apiVersions) Has(version string) bool {
	for _, v := range a {
		if v == version || strings.HasPrefix(version, v+"/") {
			return true
		}
	}
	return false
}

func capabilities(kubeVersion string) map[string]interface{} {
	version := strings.TrimPrefix(kubeVersion, "v")
	parts := strings.SplitN(version, ".", 3)
	return map[string]interface{}{
		"KubeVersion": map[string]interface{}{"Version": "v" + version, "GitVersion": "v" + version, "Major": parts[0], "Minor": parts[1]},
		"APIVersions": apiVersions{
			"v1", "apps/v1", "batch/v1", "autoscaling/v2", "policy/v1", "networking.k8s.io/v1", "rbac.authorization.k8s.io/v1",
			"monitoring.coreos.com/v1", "argoproj.io/v1alpha1", "external-secrets.io/v1beta1", "cert-manager.io/v1",
			"gateway.networking.k8s.io/v1",
		},
	}
}

// chartFiles is .Files: the chart's files outside templates/, by path relative to the chart.
type chartFiles struct{ dir string }

func (f chartFiles) Get(name string) string {
	data, err := os.ReadFile(filepath.Join(f.dir, filepath.FromSlash(name)))
	if err != nil {
		return ""
	}
	return string(data)
}

// Glob returns the files matching pattern as a map of path to content.
func (f chartFiles) Glob(pattern string) map[string]string {
	matches, _ := filepath.Glob(filepath.Join(f.dir, filepath.FromSlash(pattern)))
	found := map[string]string{}
	for _, m := range matches {
		rel, _ := filepath.Rel(f.dir, m)
		found[filepath.ToSlash(rel)] = f.Get(filepath.ToSlash(rel))
	}
	return found
}

func readYaml(file string) (map[string]interface{}, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	m := map[string]interface{}{}
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	return m, nil
}

// merge overlays b on a: maps merge key by key, anything else in b replaces a's; a null in b removes the key.
func merge(a, b map[string]interface{}) map[string]interface{} {
	out := copyMap(a)
	for k, v := range b {
		if v == nil {
			delete(out, k)
			continue
		}
		if bm, ok := v.(map[string]interface{}); ok {
			if am, ok := out[k].(map[string]interface{}); ok {
				out[k] = merge(am, bm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

func copyMap(m map[string]interface{}) map[string]interface{} {
	out := make(map[string]interface{}, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
