package podspec

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

func ex(e string, args ...string) session.Executable { return session.Executable{Exec: e, Args: args} }

func testSession() *session.Session {
	rte := ex("source", "/rte.sh")
	return &session.Session{Name: "s1", User: "alice", Processes: []session.Process{
		{Name: "df-01", Host: "h3", TreeID: "0.10", Executables: []session.Executable{rte, ex("daq_application")}},
		{Name: "ru-ctrl", Host: "h2", TreeID: "0.2", Executables: []session.Executable{rte, ex("drunc-controller", "--port", "3340")}},
		{Name: "runp-01", Host: "h2", TreeID: "0.2.0", LogPath: "/log/s1/runp.log", DataMount: "/log/s1",
			Executables: []session.Executable{rte, ex("daq_application")}},
		{Name: "root-controller", Host: "h1", TreeID: "0", Env: map[string]string{"DOTDRUNC": "/etc/drunc.json"},
			Executables: []session.Executable{rte, ex("drunc-controller", "-c", "grpc://h1:30333")}},
		{Name: "other-infra", Host: "h1", TreeID: "2", Executables: []session.Executable{ex("sleep", "inf")}},
		{Name: "local-connection-server", Host: "h1", TreeID: "1",
			Executables: []session.Executable{{Exec: "gunicorn", Shell: "-b 0.0.0.0:30500 app"}}},
		{Name: "loose", Host: "h3", Executables: []session.Executable{ex("sleep", "inf")}},
	}}
}

func testSettings() *pmconfig.Settings {
	st := pmconfig.Default()
	st.HomePathBase = "/home"
	st.Volumes = []pmconfig.Volume{
		{Name: "cvmfs", MountPath: "/cvmfs", HostPath: "/cvmfs", ReadOnly: true},
		{Name: "vfio", MountPath: "/dev/vfio", HostPath: "/dev/vfio"},
	}
	st.HostConfigs = map[string]pmconfig.HostConfig{"h2": {
		Limits:   map[string]string{"cpu": "4", "memory": "8Gi", "hugepages-1Gi": "2Gi"},
		Requests: map[string]string{"cpu": "4", "memory": "8Gi", "hugepages-1Gi": "2Gi"},
	}}
	return st
}

func counter() func() string {
	n := 0
	return func() string { n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }
}

func render(t *testing.T, s *session.Session, st *pmconfig.Settings) (*Objects, map[string]*Rendered) {
	t.Helper()
	uid, gid := int64(1000), int64(1001)
	objs, err := Render(s, st, Options{RunAsUser: &uid, RunAsGroup: &gid, UUID: counter()})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]*Rendered{}
	for i := range objs.Processes {
		by[objs.Processes[i].Process.Name] = &objs.Processes[i]
	}
	return objs, by
}

func TestRenderBootOrderAndStages(t *testing.T) {
	objs, _ := render(t, testSession(), testSettings())
	var names []string
	for _, r := range objs.Processes {
		names = append(names, r.Process.Name)
	}
	want := "local-connection-server other-infra root-controller ru-ctrl runp-01 df-01 loose"
	if strings.Join(names, " ") != want {
		t.Fatalf("boot order %v, want %s", names, want)
	}
	if got := fmt.Sprint(objs.StageNames, objs.StageSizes); got != "[local-connection-server infrastructure-applications root-controller applications] [1 1 1 4]" {
		t.Fatalf("stages %s", got)
	}
	if st := objs.Stages(); len(st) != 4 || st[3][0].Process.Name != "ru-ctrl" {
		t.Fatalf("Stages() = %v", st)
	}
	if objs.LCS() == nil || objs.LCS().Process.Name != "local-connection-server" {
		t.Fatal("LCS() did not find the connection server")
	}
}

func TestRenderLabelsNamesAndUUIDs(t *testing.T) {
	s := testSession()
	s.Processes[0].UUID = "6f1c1d5e-9a55-4d6b-9a3c-2f7b8c0d1e2f"
	objs, by := render(t, s, testSettings())
	ns := objs.Namespace
	if ns.Name != "s1" || ns.Labels["creator.drunc.daq"] != "K8sProcessManager" || ns.Labels["pod-security.kubernetes.io/enforce"] != "privileged" {
		t.Fatalf("namespace %+v", ns.ObjectMeta)
	}
	df := by["df-01"].Pod
	if df.Name != "df-01" || df.Namespace != "s1" || df.Spec.Containers[0].Name != "df-01" {
		t.Fatal("pod and container are named after the process")
	}
	wantLabels := map[string]string{
		"app": "df-01", "creator.drunc.daq": "K8sProcessManager", "uuid.drunc.daq": "6f1c1d5e-9a55-4d6b-9a3c-2f7b8c0d1e2f",
		"tree-id.drunc.daq": "0.10", "role.drunc.daq": "application", "app.kubernetes.io/managed-by": "kubectl-drunc",
	}
	if !reflect.DeepEqual(df.Labels, wantLabels) {
		t.Fatalf("labels %v", df.Labels)
	}
	if got := by["local-connection-server"].Pod.Labels["uuid.drunc.daq"]; got != "00000000-0000-4000-8000-000000000001" {
		t.Fatalf("generated uuid %q (the LCS boots first)", got)
	}
	for name, role := range map[string]string{"root-controller": "root-controller", "ru-ctrl": "segment-controller",
		"local-connection-server": "infrastructure-applications", "loose": "unknown"} {
		if got := by[name].Pod.Labels["role.drunc.daq"]; got != role {
			t.Errorf("%s role %q, want %q", name, got, role)
		}
	}
	st := testSettings()
	st.LabelDomain = "example.org"
	_, by = render(t, testSession(), st)
	if by["df-01"].Pod.Labels["creator.example.org"] != "K8sProcessManager" {
		t.Fatal("label domain not honoured")
	}
}

func TestRenderPodShape(t *testing.T) {
	_, by := render(t, testSession(), testSettings())
	pod := by["df-01"].Pod
	sp := pod.Spec
	if sp.RestartPolicy != corev1.RestartPolicyNever || *sp.TerminationGracePeriodSeconds != 30 ||
		sp.NodeSelector["kubernetes.io/hostname"] != "h3" || !sp.HostNetwork {
		t.Fatalf("pod spec %+v", sp)
	}
	if *sp.SecurityContext.RunAsUser != 1000 || *sp.SecurityContext.RunAsGroup != 1001 || *sp.SecurityContext.FSGroup != 1001 {
		t.Fatal("pod security context")
	}
	c := sp.Containers[0]
	if !reflect.DeepEqual(c.Command, []string{"/bin/bash", "-c"}) || len(c.Args) != 1 || c.Image != pmconfig.DefaultImage {
		t.Fatalf("container %v %v %s", c.Command, c.Args, c.Image)
	}
	if *c.SecurityContext.RunAsUser != 1000 || c.SecurityContext.Privileged != nil {
		t.Fatal("container security context")
	}
	if c.Lifecycle == nil || c.Lifecycle.PreStop.Exec.Command[2] != "kill -QUIT 1" {
		t.Fatal("applications get the SIGQUIT preStop hook")
	}
	for _, name := range []string{"root-controller", "ru-ctrl", "local-connection-server"} {
		if by[name].Pod.Spec.Containers[0].Lifecycle != nil {
			t.Errorf("%s must not get the preStop hook", name)
		}
	}
	for _, name := range []string{"other-infra", "loose"} {
		if by[name].Pod.Spec.Containers[0].Lifecycle == nil {
			t.Errorf("%s gets the preStop hook", name)
		}
	}
}

func TestRenderEnv(t *testing.T) {
	_, by := render(t, testSession(), testSettings())
	env := func(name string) map[string]string {
		m := map[string]string{}
		for _, e := range by[name].Pod.Spec.Containers[0].Env {
			if e.ValueFrom != nil {
				m[e.Name] = "from:" + e.ValueFrom.FieldRef.FieldPath
			} else {
				m[e.Name] = e.Value
			}
		}
		return m
	}
	if got := env("df-01"); !reflect.DeepEqual(got, map[string]string{"USER": "alice", "HOME": "/home/alice", "DOTDRUNC": "/home/alice/.drunc.json"}) {
		t.Fatalf("df-01 env %v", got)
	}
	if got := env("root-controller"); got["POD_IP"] != "from:status.podIP" || got["DOTDRUNC"] != "/etc/drunc.json" {
		t.Fatalf("root env %v", got)
	}
	if _, ok := env("ru-ctrl")["POD_IP"]; ok {
		t.Fatal("only the root controller gets POD_IP")
	}
	st := pmconfig.Default()
	st.HostConfigs = testSettings().HostConfigs
	_, by = render(t, testSession(), st)
	if got := env("df-01"); got["DOTDRUNC"] != "~/.drunc.json" || got["HOME"] != "" {
		t.Fatalf("without home_path_base: %v", got)
	}
}

func TestRenderNetworking(t *testing.T) {
	_, by := render(t, testSession(), testSettings())
	for name, port := range map[string]int32{"local-connection-server": 30500, "root-controller": 30333} {
		r := by[name]
		svc := r.Service
		if r.Pod.Spec.HostNetwork || svc.Spec.Type != corev1.ServiceTypeNodePort ||
			svc.Spec.ExternalTrafficPolicy != corev1.ServiceExternalTrafficPolicyLocal ||
			svc.Spec.Ports[0].Port != port || svc.Spec.Ports[0].TargetPort.IntVal != port || NodePort(svc) != port {
			t.Errorf("%s: want pod network behind NodePort %d, got %+v", name, port, svc.Spec)
		}
	}
	if p := by["local-connection-server"].Pod.Spec.Containers[0].Ports; len(p) != 1 || p[0].ContainerPort != 30500 || p[0].Name != "http-port" {
		t.Errorf("LCS container port %v", p)
	}
	svc := by["ru-ctrl"].Service
	if svc.Spec.ClusterIP != "None" || svc.Spec.Ports[0].Port != 80 || svc.Spec.Selector["app"] != "ru-ctrl" || NodePort(svc) != 0 {
		t.Errorf("headless service %+v", svc.Spec)
	}
	ref := svc.OwnerReferences[0]
	if ref.Kind != "Pod" || ref.Name != "ru-ctrl" || !*ref.Controller || !*ref.BlockOwnerDeletion || ref.UID != "" {
		t.Errorf("owner reference %+v", ref)
	}
	if svc.Labels["creator.drunc.daq"] != "K8sProcessManager" || svc.Name != "ru-ctrl" {
		t.Errorf("service metadata %+v", svc.ObjectMeta)
	}
	pod := by["ru-ctrl"].Pod.DeepCopy()
	pod.UID = types.UID("1234")
	OwnService(svc, pod)
	if svc.OwnerReferences[0].UID != "1234" {
		t.Error("OwnService did not set the UID")
	}

	// A root controller without a port falls back to headless + host network.
	s := testSession()
	s.Processes[3].Executables = []session.Executable{ex("drunc-controller", "-c", "rest://h1:1")}
	_, by = render(t, s, testSettings())
	if !by["root-controller"].Pod.Spec.HostNetwork || by["root-controller"].Service.Spec.ClusterIP != "None" {
		t.Error("root controller without port")
	}
}

func TestSetLCSAddress(t *testing.T) {
	_, by := render(t, testSession(), testSettings())
	app, lcs := by["df-01"].Pod, by["local-connection-server"].Pod
	SetLCSAddress(app, "10.96.0.12")
	SetLCSAddress(lcs, "10.96.0.12")
	if len(app.Spec.HostAliases) != 1 || app.Spec.HostAliases[0].IP != "10.96.0.12" || app.Spec.HostAliases[0].Hostnames[0] != "localhost" {
		t.Fatalf("host aliases %v", app.Spec.HostAliases)
	}
	if lcs.Spec.HostAliases != nil {
		t.Fatal("the LCS must not point localhost at itself")
	}
}

func TestRenderVolumes(t *testing.T) {
	_, by := render(t, testSession(), testSettings())
	mounts := func(name string) string {
		var out []string
		pod := by[name].Pod
		for i, m := range pod.Spec.Containers[0].VolumeMounts {
			v := pod.Spec.Volumes[i]
			src := "emptyDir:" + func() string {
				if v.EmptyDir != nil {
					return string(v.EmptyDir.Medium)
				}
				return ""
			}()
			if v.HostPath != nil {
				src = v.HostPath.Path + ":" + string(*v.HostPath.Type)
			}
			out = append(out, fmt.Sprintf("%s=%s@%s ro=%v", m.Name, src, m.MountPath, m.ReadOnly))
		}
		return strings.Join(out, " ")
	}
	if got, want := mounts("df-01"), "cvmfs=/cvmfs:Directory@/cvmfs ro=true home-alice=/home/alice:Directory@/home/alice ro=false"; got != want {
		t.Errorf("df-01 mounts\n got %s\nwant %s", got, want)
	}
	// Readout: hugepages first, vfio only here; the data mount equals the log dir.
	if got, want := mounts("runp-01"), "hugepages=emptyDir:HugePages@/dev/hugepages ro=false cvmfs=/cvmfs:Directory@/cvmfs ro=true vfio=/dev/vfio:Directory@/dev/vfio ro=false home-alice=/home/alice:Directory@/home/alice ro=false log-mount=/log/s1:DirectoryOrCreate@/log/s1 ro=false"; got != want {
		t.Errorf("runp-01 mounts\n got %s\nwant %s", got, want)
	}
	st := testSettings()
	st.Volumes = append(st.Volumes, pmconfig.Volume{Name: "homes", MountPath: "/home", HostPath: "/home"})
	s := testSession()
	s.Processes[0].WorkingDir, s.Processes[0].DataMount = "/run/df", "."
	_, by = render(t, s, st)
	if got, want := mounts("df-01"), "cvmfs=/cvmfs:Directory@/cvmfs ro=true homes=/home:Directory@/home ro=false data-mount=/run/df:Directory@/run/df ro=false"; got != want {
		t.Errorf("covered home and data mount '.'\n got %s\nwant %s", got, want)
	}
}

func TestRenderReadout(t *testing.T) {
	_, by := render(t, testSession(), testSettings())
	c := by["runp-01"].Pod.Spec.Containers[0]
	if !*c.SecurityContext.Privileged || c.SecurityContext.Capabilities.Add[0] != "IPC_LOCK" {
		t.Fatal("readout security context")
	}
	if q := c.Resources.Limits["hugepages-1Gi"]; q.String() != "2Gi" {
		t.Fatalf("resources %v", c.Resources)
	}
	if by["df-01"].Pod.Spec.Containers[0].Resources.Limits != nil {
		t.Fatal("only readout apps get host resources")
	}
	st := testSettings()
	st.ReadoutAppSelector = "RUNP"
	_, by = render(t, testSession(), st)
	if by["runp-01"].Pod.Spec.Containers[0].SecurityContext.Privileged == nil {
		t.Fatal("the selector is case-insensitive")
	}
	st.HostConfigs = nil
	_, err := Render(testSession(), st, Options{})
	if err == nil || !strings.Contains(err.Error(), `process "runp-01": processes[2].host: readout application`) ||
		!strings.Contains(err.Error(), `host_configs."h2"`) {
		t.Fatalf("missing host_configs: %v", err)
	}
}

func TestRenderReportsEveryProblem(t *testing.T) {
	s := testSession()
	s.Processes[5].Executables = []session.Executable{{Exec: "gunicorn", Shell: "app"}}
	st := testSettings()
	st.HostConfigs = nil
	_, err := Render(s, st, Options{})
	var errs session.Errors
	if !asErrors(err, &errs) || len(errs) != 2 {
		t.Fatalf("want 2 problems, got %v", err)
	}
	if !strings.Contains(err.Error(), `process "local-connection-server": processes[5].executables: no port found`) {
		t.Fatalf("LCS without port: %v", err)
	}
}

func asErrors(err error, out *session.Errors) bool {
	e, ok := err.(session.Errors)
	*out = e
	return ok
}

func TestBootRecordRendersTheSamePod(t *testing.T) {
	_, by := render(t, testSession(), testSettings())
	for name, r := range by {
		rec, err := session.DecodeBootRecord(r.Pod.Annotations[session.BootRecordAnnotation])
		if err != nil {
			t.Fatal(err)
		}
		var st pmconfig.Settings
		if err := json.Unmarshal(rec.Settings, &st); err != nil {
			t.Fatal(err)
		}
		again, err := Render(rec.AsSession(), &st, Options{RunAsUser: rec.RunAsUser, RunAsGroup: rec.RunAsGroup})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := again.Processes[0]
		if !reflect.DeepEqual(got.Pod, r.Pod) || !reflect.DeepEqual(got.Service, r.Service) {
			t.Errorf("%s: the boot record does not render the same objects", name)
		}
	}
}

func TestCheckFindsSettingsProblemsOfAnInvalidSession(t *testing.T) {
	s := testSession()
	s.Name = "Not Valid"
	s.Processes[5].Executables = []session.Executable{{Exec: "gunicorn", Shell: "app"}}
	st := testSettings()
	st.HostConfigs = nil
	errs := Check(s, st)
	if len(errs) != 2 || !strings.Contains(errs.Error(), `process "local-connection-server": processes[5].executables: no port found`) ||
		!strings.Contains(errs.Error(), `process "runp-01": processes[2].host: readout application`) {
		t.Fatalf("Check: %v", errs)
	}
	if errs := Check(testSession(), testSettings()); len(errs) != 0 {
		t.Fatalf("Check of a good session: %v", errs)
	}
}
