package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const manifestDir = "../../deploy/kubernetes"

// k8sObject is the part of a Kubernetes object the checks below read.
type k8sObject struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Images []struct { // Kustomization
		Name   string `yaml:"name"`
		NewTag string `yaml:"newTag"`
	} `yaml:"images"`
	StringData map[string]string `yaml:"stringData"`
	Data       map[string]string `yaml:"data"`
	Resources  []string          `yaml:"resources"` // Kustomization
	Spec       struct {
		Replicas    *int           `yaml:"replicas"`
		ServiceName string         `yaml:"serviceName"`
		ClusterIP   string         `yaml:"clusterIP"`
		Selector    map[string]any `yaml:"selector"` // Service: labels; workloads: matchLabels
		Ports       []struct {
			Name       string `yaml:"name"`
			Port       int    `yaml:"port"`
			TargetPort string `yaml:"targetPort"`
		} `yaml:"ports"`
		Template struct {
			Metadata struct {
				Labels      map[string]string `yaml:"labels"`
				Annotations map[string]string `yaml:"annotations"`
			} `yaml:"metadata"`
			Spec podSpec `yaml:"spec"`
		} `yaml:"template"`
		// PodDisruptionBudget
		MinAvailable   *int `yaml:"minAvailable"`
		MaxUnavailable *int `yaml:"maxUnavailable"`
		// NetworkPolicy
		PodSelector struct {
			MatchLabels map[string]string `yaml:"matchLabels"`
		} `yaml:"podSelector"`
		PolicyTypes []string     `yaml:"policyTypes"`
		Ingress     []policyRule `yaml:"ingress"`
		Egress      []policyRule `yaml:"egress"`
	} `yaml:"spec"`
}

// policyRule is a NetworkPolicy rule: to or from the pods its peers
// select (anywhere when none), on these ports (a number or a port's name).
type policyRule struct {
	Ports []struct {
		Protocol string `yaml:"protocol"`
		Port     any    `yaml:"port"`
	} `yaml:"ports"`
	From []policyPeer `yaml:"from"`
	To   []policyPeer `yaml:"to"`
}

// policyPeer is a NetworkPolicy rule's source or destination.
type policyPeer struct {
	PodSelector struct {
		MatchLabels map[string]string `yaml:"matchLabels"`
	} `yaml:"podSelector"`
}

type podSpec struct {
	TerminationGracePeriodSeconds int `yaml:"terminationGracePeriodSeconds"`
	SecurityContext               struct {
		RunAsNonRoot bool `yaml:"runAsNonRoot"`
	} `yaml:"securityContext"`
	Containers []container `yaml:"containers"`
	Volumes    []struct {
		Name      string `yaml:"name"`
		ConfigMap struct {
			Name string `yaml:"name"`
		} `yaml:"configMap"`
	} `yaml:"volumes"`
}

type container struct {
	Name  string   `yaml:"name"`
	Image string   `yaml:"image"`
	Args  []string `yaml:"args"`
	Ports []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	} `yaml:"ports"`
	Env []struct {
		Name      string `yaml:"name"`
		Value     string `yaml:"value"`
		ValueFrom *struct {
			SecretKeyRef *struct {
				Name string `yaml:"name"`
				Key  string `yaml:"key"`
			} `yaml:"secretKeyRef"`
			FieldRef *struct {
				FieldPath string `yaml:"fieldPath"`
			} `yaml:"fieldRef"`
		} `yaml:"valueFrom"`
	} `yaml:"env"`
	LivenessProbe  *probe `yaml:"livenessProbe"`
	ReadinessProbe *probe `yaml:"readinessProbe"`
	Resources      struct {
		Requests map[string]string `yaml:"requests"`
		Limits   map[string]string `yaml:"limits"`
	} `yaml:"resources"`
	SecurityContext struct {
		AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
		ReadOnlyRootFilesystem   bool  `yaml:"readOnlyRootFilesystem"`
		Capabilities             struct {
			Drop []string `yaml:"drop"`
		} `yaml:"capabilities"`
	} `yaml:"securityContext"`
	VolumeMounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
	} `yaml:"volumeMounts"`
}

type probe struct {
	HTTPGet struct {
		Path string `yaml:"path"`
		Port string `yaml:"port"`
	} `yaml:"httpGet"`
	Exec struct {
		Command []string `yaml:"command"`
	} `yaml:"exec"`
}

// podIndexLabel is the label Kubernetes 1.28+ puts on each StatefulSet pod.
const podIndexLabel = "metadata.labels['apps.kubernetes.io/pod-index']"

// loadManifests decodes every YAML document under dir, by "Kind/name".
func loadManifests(t *testing.T, dir string) (map[string]*k8sObject, []string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in %s (%v)", dir, err)
	}
	objs := map[string]*k8sObject{}
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var o k8sObject
			err := dec.Decode(&o)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if o.Kind == "" || o.APIVersion == "" {
				t.Errorf("%s: a document without kind or apiVersion", f)
				continue
			}
			objs[o.Kind+"/"+o.Metadata.Name] = &o
		}
	}
	return objs, names
}

func TestKubernetesManifests(t *testing.T) {
	t.Parallel()
	objs, files := loadManifests(t, manifestDir)
	for _, want := range []string{
		"Kustomization/", "Secret/statusbot", "ConfigMap/statusbot-config",
		"Deployment/statusbot-http", "Service/statusbot-http", "PodDisruptionBudget/statusbot-http",
		"StatefulSet/statusbot-gateway", "Service/statusbot-gateway",
		"NetworkPolicy/statusbot",
	} {
		if objs[want] == nil {
			t.Errorf("no %s in %s (have %v)", want, manifestDir, slices.Sorted(maps.Keys(objs)))
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	kust := objs["Kustomization/"]
	for _, f := range files {
		if f != "kustomization.yaml" && !slices.Contains(kust.Resources, f) {
			t.Errorf("kustomization.yaml does not list %s", f)
		}
	}

	secret := objs["Secret/statusbot"]
	secretKeys := map[string]string{} // env var -> config key
	for k := range defaults {
		if isSecretKey(k) {
			secretKeys[envName(k)] = k
		}
	}
	for name, v := range secret.StringData {
		if _, ok := secretKeys[name]; !ok {
			t.Errorf("Secret entry %s is not a secret key's variable", name)
		}
		if v != secretPlaceholder {
			t.Errorf("Secret entry %s holds a value, want the placeholder %s", name, secretPlaceholder)
		}
	}
	if len(secret.Data) > 0 {
		t.Errorf("the Secret template has data entries; use stringData placeholders")
	}

	cm := objs["ConfigMap/statusbot-config"]
	for _, name := range []string{"Deployment/statusbot-http", "StatefulSet/statusbot-gateway"} {
		t.Run(name, func(t *testing.T) {
			w := objs[name]
			checkWorkload(t, w, objs, secret, cm)
		})
	}

	// The gateway: one shard per pod, the pod index as shard id.
	gw := objs["StatefulSet/statusbot-gateway"]
	if svc := objs["Service/"+gw.Spec.ServiceName]; svc == nil || svc.Spec.ClusterIP != "None" {
		t.Errorf("StatefulSet serviceName %q is not a headless Service", gw.Spec.ServiceName)
	}
	env := containerEnv(gw.Spec.Template.Spec.Containers[0])
	if env["STATUSBOT_DISCORD_SHARD_ID"] != "fieldRef:"+podIndexLabel {
		t.Errorf("STATUSBOT_DISCORD_SHARD_ID = %q, want the downward API's %s", env["STATUSBOT_DISCORD_SHARD_ID"], podIndexLabel)
	}
	if gw.Spec.Replicas == nil {
		t.Error("the gateway StatefulSet does not set replicas")
	} else if env["STATUSBOT_DISCORD_SHARD_COUNT"] != strconv.Itoa(*gw.Spec.Replicas) {
		t.Errorf("STATUSBOT_DISCORD_SHARD_COUNT = %q, want replicas (%d)", env["STATUSBOT_DISCORD_SHARD_COUNT"], *gw.Spec.Replicas)
	}
	if env["STATUSBOT_DISCORD_TOKEN"] == "" {
		t.Error("the gateway gets no Discord token")
	}
	// The HTTP replicas must not open gateway connections of their own.
	httpEnv := containerEnv(objs["Deployment/statusbot-http"].Spec.Template.Spec.Containers[0])
	if _, ok := httpEnv["STATUSBOT_DISCORD_TOKEN"]; ok {
		t.Error("the HTTP Deployment gets the Discord token: every replica would connect to the gateway")
	}
	if httpEnv["STATUSBOT_SLACK_MODE"] != "http" {
		t.Errorf("the HTTP Deployment's slack mode = %q, want http", httpEnv["STATUSBOT_SLACK_MODE"])
	}

	// The image: a release, the same in every manifest and in kustomize.
	images := map[string]bool{}
	for _, name := range []string{"Deployment/statusbot-http", "StatefulSet/statusbot-gateway"} {
		images[objs[name].Spec.Template.Spec.Containers[0].Image] = true
	}
	release := regexp.MustCompile(`^statusbot:v[0-9]+\.[0-9]+\.[0-9]+$`)
	for image := range images {
		if !release.MatchString(image) || len(images) != 1 {
			t.Errorf("images %v, want one statusbot:vX.Y.Z (a release, never latest)", slices.Sorted(maps.Keys(images)))
		}
		if len(kust.Images) != 1 || kust.Images[0].Name != "statusbot" || "statusbot:"+kust.Images[0].NewTag != image {
			t.Errorf("kustomization images %+v, want statusbot with the manifests' tag", kust.Images)
		}
	}

	// Voluntary disruptions leave an HTTP replica answering.
	pdb, dep := objs["PodDisruptionBudget/statusbot-http"], objs["Deployment/statusbot-http"]
	if m, _ := pdb.Spec.Selector["matchLabels"].(map[string]any); !selects(stringMap(m), dep.Spec.Template.Metadata.Labels) {
		t.Errorf("the PodDisruptionBudget selects %v, not the HTTP pods", pdb.Spec.Selector)
	}
	if pdb.Spec.MinAvailable == nil || *pdb.Spec.MinAvailable < 1 || dep.Spec.Replicas == nil || *pdb.Spec.MinAvailable >= *dep.Spec.Replicas {
		t.Errorf("the PodDisruptionBudget's minAvailable %v, want at least 1 and below the replicas", pdb.Spec.MinAvailable)
	}

	// The NetworkPolicy: in, only the platform and ops ports; out, only DNS
	// and HTTPS; for every statusbot pod.
	np := objs["NetworkPolicy/statusbot"]
	for _, name := range []string{"Deployment/statusbot-http", "StatefulSet/statusbot-gateway"} {
		if !selects(np.Spec.PodSelector.MatchLabels, objs[name].Spec.Template.Metadata.Labels) {
			t.Errorf("the NetworkPolicy does not select the pods of %s", name)
		}
	}
	if !slices.Equal(np.Spec.PolicyTypes, []string{"Ingress", "Egress"}) {
		t.Errorf("policyTypes %v, want Ingress and Egress", np.Spec.PolicyTypes)
	}
	if got, want := policyPorts(np.Spec.Ingress), []string{"TCP/8080", "TCP/9090"}; !slices.Equal(got, want) {
		t.Errorf("ingress ports %v, want %v", got, want)
	}
	if got, want := policyPorts(np.Spec.Egress), []string{"TCP/443", "TCP/53", "TCP/6379", "UDP/53"}; !slices.Equal(got, want) {
		t.Errorf("egress ports %v, want %v (DNS, HTTPS and the shared Redis)", got, want)
	}
	for _, r := range np.Spec.Egress {
		if len(r.Ports) == 1 && fmt.Sprint(r.Ports[0].Port) == "6379" &&
			(len(r.To) != 1 || !selects(r.To[0].PodSelector.MatchLabels, objs["StatefulSet/statusbot-redis"].Spec.Template.Metadata.Labels)) {
			t.Errorf("egress to 6379 goes to %+v, want the redis pod alone", r.To)
		}
	}
	for _, r := range slices.Concat(np.Spec.Ingress, np.Spec.Egress) {
		if len(r.Ports) == 0 {
			t.Error("a NetworkPolicy rule without ports lets every port through")
		}
	}

	// The public Service exposes the platform endpoints alone.
	for _, p := range objs["Service/statusbot-http"].Spec.Ports {
		if p.TargetPort != "http" {
			t.Errorf("the public Service exposes port %q; only http is public", p.TargetPort)
		}
	}
}

// selects reports whether the selector's labels are all among labels.
func selects(selector, labels map[string]string) bool {
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return len(selector) > 0
}

// policyPorts lists a NetworkPolicy's rules' ports as "PROTOCOL/port", sorted.
func policyPorts(rules []policyRule) []string {
	var ps []string
	for _, r := range rules {
		for _, p := range r.Ports {
			ps = append(ps, fmt.Sprintf("%s/%v", p.Protocol, p.Port))
		}
	}
	slices.Sort(ps)
	return ps
}

// containerEnv maps a container's variables to their value, or to
// "secret:NAME/KEY" or "fieldRef:PATH".
func containerEnv(c container) map[string]string {
	env := map[string]string{}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil:
			env[e.Name] = "secret:" + e.ValueFrom.SecretKeyRef.Name + "/" + e.ValueFrom.SecretKeyRef.Key
		case e.ValueFrom != nil && e.ValueFrom.FieldRef != nil:
			env[e.Name] = "fieldRef:" + e.ValueFrom.FieldRef.FieldPath
		default:
			env[e.Name] = e.Value
		}
	}
	return env
}

// checkWorkload checks a Deployment's or StatefulSet's pod: probes on the
// named port, hardening, resources, secrets only from the Secret, and that
// the ConfigMap plus its environment load as a valid config for every pod.
func checkWorkload(t *testing.T, w *k8sObject, objs map[string]*k8sObject, secret, cm *k8sObject) {
	t.Helper()
	labels := w.Spec.Template.Metadata.Labels
	match, _ := w.Spec.Selector["matchLabels"].(map[string]any)
	if len(match) == 0 {
		t.Error("no selector.matchLabels")
	}
	for k, v := range match {
		if labels[k] != v {
			t.Errorf("selector %s=%v does not match the pod template's labels %v", k, v, labels)
		}
	}
	pod := w.Spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	if !strings.HasPrefix(c.Image, "statusbot") {
		t.Errorf("image %q, want statusbot (kustomize sets the registry)", c.Image)
	}
	ports := map[string]int{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if ports["http"] != 8080 || ports["ops"] == 0 {
		t.Errorf("container ports %v, want http: 8080 (the image's EXPOSE) and ops", ports)
	}
	for _, p := range []struct {
		name, path string
		probe      *probe
	}{{"liveness", "/healthz", c.LivenessProbe}, {"readiness", "/readyz", c.ReadinessProbe}} {
		if p.probe == nil {
			t.Errorf("no %s probe", p.name)
			continue
		}
		if p.probe.HTTPGet.Path != p.path || p.probe.HTTPGet.Port != "ops" {
			t.Errorf("%s probe GET %s on port %q, want %s on the ops port", p.name, p.probe.HTTPGet.Path, p.probe.HTTPGet.Port, p.path)
		}
	}
	if a := w.Spec.Template.Metadata.Annotations; a["prometheus.io/port"] != strconv.Itoa(ports["ops"]) {
		t.Errorf("scraped on port %q, want the ops port %d", a["prometheus.io/port"], ports["ops"])
	}
	sc := c.SecurityContext
	if !pod.SecurityContext.RunAsNonRoot || !sc.ReadOnlyRootFilesystem || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation || !slices.Contains(sc.Capabilities.Drop, "ALL") {
		t.Errorf("security: runAsNonRoot=%v readOnlyRootFilesystem=%v allowPrivilegeEscalation=%s drop=%v; want true, true, false, [ALL]",
			pod.SecurityContext.RunAsNonRoot, sc.ReadOnlyRootFilesystem, showBool(sc.AllowPrivilegeEscalation), sc.Capabilities.Drop)
	}
	if c.Resources.Requests["cpu"] == "" || c.Resources.Requests["memory"] == "" || c.Resources.Limits["memory"] == "" {
		t.Errorf("resources %+v, want cpu and memory requests and a memory limit", c.Resources)
	}

	// Configuration: the ConfigMap mounted where --config points.
	var mount string
	for _, v := range pod.Volumes {
		if v.ConfigMap.Name == cm.Metadata.Name {
			for _, m := range c.VolumeMounts {
				if m.Name == v.Name {
					mount = m.MountPath
				}
			}
		}
	}
	want := []string{"run", "--config", mount + "/config.yaml"}
	if mount == "" || !slices.Equal(c.Args, want) || cm.Data["config.yaml"] == "" {
		t.Errorf("args %q with the ConfigMap mounted at %q, want %q", c.Args, mount, want)
	}
	cfgPath := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(cm.Data["config.yaml"]), 0o600); err != nil {
		t.Fatal(err)
	}

	secretKeys := map[string]bool{}
	for k := range defaults {
		if isSecretKey(k) {
			secretKeys[envName(k)] = true
		}
	}
	env := containerEnv(c)
	for name, v := range env {
		if ref, ok := strings.CutPrefix(v, "secret:"); ok {
			if _, has := secret.StringData[strings.TrimPrefix(ref, secret.Metadata.Name+"/")]; !has || !strings.HasPrefix(ref, secret.Metadata.Name+"/") {
				t.Errorf("%s comes from %s, which the Secret %s does not hold", name, ref, secret.Metadata.Name)
			}
		} else if secretKeys[name] {
			t.Errorf("%s is a secret but is set in the manifest; take it from the Secret", name)
		}
	}

	replicas := 1
	if w.Spec.Replicas != nil {
		replicas = *w.Spec.Replicas
	}
	for ordinal := range replicas {
		getenv := func(name string) string {
			v, ok := env[name]
			switch {
			case !ok:
				return ""
			case v == "fieldRef:"+podIndexLabel:
				return strconv.Itoa(ordinal)
			case name == "STATUSBOT_DISCORD_PUBLIC_KEY":
				return strings.Repeat("ab", 32)
			case strings.HasPrefix(v, "secret:"):
				return "a-real-value"
			}
			return v
		}
		cfg, err := loadConfig(cfgPath, getenv)
		if err != nil {
			t.Errorf("pod %d: %v", ordinal, err)
			continue
		}
		if _, port, _ := strings.Cut(cfg.HTTP.Addr, ":"); port != strconv.Itoa(ports["http"]) {
			t.Errorf("pod %d listens on %s, not the container port %d", ordinal, cfg.HTTP.Addr, ports["http"])
		}
		if _, port, _ := strings.Cut(cfg.HTTP.OpsAddr, ":"); port != strconv.Itoa(ports["ops"]) {
			t.Errorf("pod %d serves operations on %q, not the container port ops (%d)", ordinal, cfg.HTTP.OpsAddr, ports["ops"])
		}
		if grace := pod.TerminationGracePeriodSeconds; grace == 0 || float64(grace) <= cfg.HTTP.ShutdownTimeout.Seconds() {
			t.Errorf("terminationGracePeriodSeconds %d is not above http.shutdown_timeout %s", grace, cfg.HTTP.ShutdownTimeout)
		}
	}

	// A Service selects these pods and targets a named port.
	var found bool
	for key, svc := range objs {
		if !strings.HasPrefix(key, "Service/") || len(svc.Spec.Selector) == 0 {
			continue
		}
		if !selects(stringMap(svc.Spec.Selector), labels) {
			continue
		}
		found = true
		for _, p := range svc.Spec.Ports {
			if ports[p.TargetPort] == 0 {
				t.Errorf("%s targets port %q, which the container does not name", key, p.TargetPort)
			}
		}
	}
	if !found {
		t.Error("no Service selects these pods")
	}
}

func showBool(b *bool) string {
	if b == nil {
		return "unset"
	}
	return strconv.FormatBool(*b)
}

func TestDockerfile(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(data)
	if !regexp.MustCompile(`(?m)^FROM golang:[0-9]+\.[0-9]+\.[0-9]+-bookworm AS build$`).MatchString(df) {
		t.Error("the build image is not pinned to an exact Go version (golang:X.Y.Z-bookworm)")
	}
	for _, want := range []string{
		"CGO_ENABLED=0 go build -trimpath",
		`-ldflags="-s -w -X main.buildVersion=${VERSION}"`,
		"FROM gcr.io/distroless/static-debian12:nonroot",
		"USER nonroot:nonroot",
		"ENV STATUSBOT_HTTP_ADDR=:8080",
		"EXPOSE 8080",
		`ENTRYPOINT ["/statusbot"]`,
		`CMD ["run"]`,
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	ignore, err := os.ReadFile("../../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(strings.Fields(string(ignore)), ".git") {
		t.Error(".dockerignore does not leave out .git")
	}
}

// hasArgs reports whether args holds want as consecutive arguments.
func hasArgs(args []string, want ...string) bool {
	for i := range args {
		if i+len(want) <= len(args) && slices.Equal(args[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

// TestKubernetesRedis: the shared state's Redis is one pod without
// persistence, reachable from statusbot's pods alone, and the pods'
// configuration points at its Service.
func TestKubernetesRedis(t *testing.T) {
	t.Parallel()
	objs, _ := loadManifests(t, manifestDir)
	sts, svc, policy := objs["StatefulSet/statusbot-redis"], objs["Service/statusbot-redis"], objs["NetworkPolicy/statusbot-redis"]
	if sts == nil || svc == nil || policy == nil {
		t.Fatalf("want StatefulSet, Service and NetworkPolicy statusbot-redis; have %v", slices.Sorted(maps.Keys(objs)))
	}
	if sts.Spec.Replicas == nil || *sts.Spec.Replicas != 1 {
		t.Errorf("redis replicas = %v, want 1", sts.Spec.Replicas)
	}
	pod := sts.Spec.Template.Spec
	labels := sts.Spec.Template.Metadata.Labels
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	if !hasArgs(c.Args, "--save", "") || !hasArgs(c.Args, "--appendonly", "no") {
		t.Errorf("redis args %q, want no snapshots (--save \"\") and no AOF (--appendonly no)", c.Args)
	}
	for name, p := range map[string]*probe{"liveness": c.LivenessProbe, "readiness": c.ReadinessProbe} {
		if p == nil || !slices.Equal(p.Exec.Command, []string{"redis-cli", "ping"}) {
			t.Errorf("redis %s probe %+v, want redis-cli ping", name, p)
		}
	}
	sc := c.SecurityContext
	if !pod.SecurityContext.RunAsNonRoot || !sc.ReadOnlyRootFilesystem || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation || c.Resources.Limits["memory"] == "" {
		t.Errorf("redis pod: non-root %v, read-only root %v, escalation %s, memory limit %q", pod.SecurityContext.RunAsNonRoot, sc.ReadOnlyRootFilesystem, showBool(sc.AllowPrivilegeEscalation), c.Resources.Limits["memory"])
	}
	var port int
	for _, p := range c.Ports {
		if p.Name == "redis" {
			port = p.ContainerPort
		}
	}
	if !selects(stringMap(svc.Spec.Selector), labels) || len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].TargetPort != "redis" || port == 0 {
		t.Errorf("Service statusbot-redis selects %v ports %+v; want the redis pod's labels %v and its named port", svc.Spec.Selector, svc.Spec.Ports, labels)
	}

	// Only statusbot's pods get in.
	if !selects(policy.Spec.PodSelector.MatchLabels, labels) || len(policy.Spec.Ingress) != 1 || len(policy.Spec.Ingress[0].From) != 1 {
		t.Fatalf("NetworkPolicy %+v, want one ingress rule for the redis pod", policy.Spec)
	}
	from := policy.Spec.Ingress[0].From[0].PodSelector.MatchLabels
	for _, name := range []string{"Deployment/statusbot-http", "StatefulSet/statusbot-gateway"} {
		if !selects(from, objs[name].Spec.Template.Metadata.Labels) {
			t.Errorf("the NetworkPolicy lets in %v, not %s's pods", from, name)
		}
	}
	if selects(from, labels) {
		t.Error("the NetworkPolicy's rule selects the redis pod itself: too broad")
	}

	// The shared configuration points at the Service.
	cfgPath := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(objs["ConfigMap/statusbot-config"].Data["config.yaml"]), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(cfgPath, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if want := "redis://statusbot-redis:" + strconv.Itoa(svc.Spec.Ports[0].Port) + "/0"; cfg.State.RedisURL != want {
		t.Errorf("state.redis_url = %q, want %q (the Service)", cfg.State.RedisURL, want)
	}
}

// stringMap converts a decoded YAML map of strings.
func stringMap(m map[string]any) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		s, _ := v.(string)
		out[k] = s
	}
	return out
}

// composeService is the part of a docker-compose.yaml service the checks read.
type composeService struct {
	Build       string            `yaml:"build"`
	Image       string            `yaml:"image"`
	Command     []string          `yaml:"command"`
	Environment map[string]string `yaml:"environment"`
	Ports       []string          `yaml:"ports"`
	Volumes     []any             `yaml:"volumes"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Healthcheck struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
}

// TestDockerCompose checks docker-compose.yaml without a Docker engine:
// Redis without persistence, and two HTTP-mode replicas built from this
// repository that share it, take their secrets from the environment and
// load as valid configurations.
func TestDockerCompose(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../docker-compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Services map[string]composeService `yaml:"services"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	redis, ok := doc.Services["redis"]
	if !ok {
		t.Fatalf("no redis service; have %v", slices.Sorted(maps.Keys(doc.Services)))
	}
	if !hasArgs(redis.Command, "--save", "") || !hasArgs(redis.Command, "--appendonly", "no") || len(redis.Volumes) > 0 {
		t.Errorf("redis command %q volumes %v, want no persistence", redis.Command, redis.Volumes)
	}
	if !slices.Contains(redis.Healthcheck.Test, "ping") {
		t.Errorf("redis healthcheck %q, want redis-cli ping", redis.Healthcheck.Test)
	}

	known := map[string]string{} // variable -> key
	for k := range defaults {
		known[envName(k)] = k
	}
	hostPorts := map[string]bool{}
	replicas := 0
	for name, s := range doc.Services {
		if s.Build != "." {
			continue
		}
		replicas++
		if s.DependsOn["redis"].Condition != "service_healthy" {
			t.Errorf("%s does not wait for redis to be healthy", name)
		}
		if len(s.Ports) != 1 {
			t.Fatalf("%s ports %q, want one", name, s.Ports)
		}
		host, containerPort, _ := strings.Cut(strings.TrimPrefix(s.Ports[0], "127.0.0.1:"), ":")
		if !strings.HasPrefix(s.Ports[0], "127.0.0.1:") || hostPorts[host] {
			t.Errorf("%s publishes %q: want a port of its own, on 127.0.0.1 only", name, s.Ports[0])
		}
		hostPorts[host] = true
		getenv := map[string]string{"STATUSBOT_HTTP_ADDR": ":8080"} // the image's ENV (TestDockerfile)
		for v, val := range s.Environment {
			key, ok := known[v]
			switch {
			case !ok:
				t.Errorf("%s sets %s, which is no key's variable", name, v)
			case isSecretKey(key) && val != "${"+v+":-}":
				t.Errorf("%s sets secret %s to %q, want it from the environment: ${%s:-}", name, v, val, v)
			case v == "STATUSBOT_DISCORD_PUBLIC_KEY":
				val = strings.Repeat("ab", 32)
			case isSecretKey(key):
				val = "a-real-value"
			}
			getenv[v] = val
		}
		if _, ok := s.Environment["STATUSBOT_DISCORD_TOKEN"]; ok {
			t.Errorf("%s gets the Discord token: each replica would open a gateway session", name)
		}
		cfg, err := loadConfig("", func(k string) string { return getenv[k] })
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if cfg.Slack.Mode != "http" || cfg.State.RedisURL != "redis://redis:6379/0" || !strings.HasSuffix(cfg.HTTP.Addr, ":"+containerPort) {
			t.Errorf("%s: slack.mode %q, state.redis_url %q, http.addr %q; want http, the redis service, and port %s", name, cfg.Slack.Mode, cfg.State.RedisURL, cfg.HTTP.Addr, containerPort)
		}
	}
	if replicas != 2 {
		t.Errorf("%d statusbot services built from this repository, want 2 replicas", replicas)
	}
}

// TestRenovateConfig: renovate.json keeps the Go modules, the base images
// (pinned to digests) and the CI tools current, and its pattern for
// staticcheck finds the version .ci/run pins.
func TestRenovateConfig(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../renovate.json")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Extends        []string `json:"extends"`
		CustomManagers []struct {
			CustomType          string   `json:"customType"`
			ManagerFilePatterns []string `json:"managerFilePatterns"`
			MatchStrings        []string `json:"matchStrings"`
			DepNameTemplate     string   `json:"depNameTemplate"`
			DatasourceTemplate  string   `json:"datasourceTemplate"`
		} `json:"customManagers"`
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatalf("renovate.json: %v", err)
	}
	if !slices.Contains(cfg.Extends, "config:recommended") || !slices.Contains(cfg.Extends, "docker:pinDigests") {
		t.Errorf("extends %v, want config:recommended (Go modules, Dockerfile) and docker:pinDigests", cfg.Extends)
	}
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	pinned := regexp.MustCompile(`staticcheck@(v[0-9.]+)`).FindSubmatch(ci)
	if pinned == nil {
		t.Fatal(".ci/run runs no pinned staticcheck")
	}
	found := false
	for _, m := range cfg.CustomManagers {
		for _, fp := range m.ManagerFilePatterns {
			// Renovate's patterns are /regex/, in a flavour Go's regexp shares here.
			if re, err := regexp.Compile(strings.Trim(fp, "/")); err != nil || !re.MatchString(".ci/run") {
				continue
			}
			for _, ms := range m.MatchStrings {
				re, err := regexp.Compile(ms)
				if err != nil {
					t.Errorf("matchString %q: %v", ms, err)
					continue
				}
				if sub := re.FindSubmatch(ci); sub != nil && string(sub[re.SubexpIndex("currentValue")]) == string(pinned[1]) &&
					m.DepNameTemplate == "honnef.co/go/tools" && m.DatasourceTemplate == "go" {
					found = true
				}
			}
		}
	}
	if !found {
		t.Errorf("no custom manager finds staticcheck %s in .ci/run", pinned[1])
	}
}
