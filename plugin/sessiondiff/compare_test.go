package sessiondiff

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/kubectl-drunc/kubectl-drunc/internal/golden"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// TestCompute: every kind of difference at once, with a record saying why
// processes are missing, in the human and the JSON form.
func TestCompute(t *testing.T) {
	keys := session.Keys("")
	objs := renderedDemo(t, 14, NoUUID)
	live := renderedDemo(t, 14, func() string { return "uuid-live" })
	var pods []*corev1.Pod
	var services []*corev1.Service
	rec := &sessionrecord.Record{Header: &sessionrecord.Header{}, Entries: map[string]*sessionrecord.Entry{}}
	for _, r := range live.Processes {
		name := r.Process.Name
		rec.Entries[name] = &sessionrecord.Entry{Name: name, State: sessionrecord.StateBooted}
		switch name {
		case "df-000-01": // killed
			rec.Apply(sessionrecord.KilledChange{Name: name, ExitCode: sessionrecord.NoExit, At: time.Now()})
			continue
		case "df-000-02": // flushed
			rec.Apply(sessionrecord.FlushedChange{Name: name, At: time.Now()})
			continue
		case "df-000-03": // deleted with kubectl delete pod
			continue
		case "df-000-04": // never created
			delete(rec.Entries, name)
			continue
		case "df-000-05": // another image, one more env variable, a new host
			c := &r.Pod.Spec.Containers[0]
			c.Image = "ghcr.io/dune-daq/alma9:v5.1"
			c.Env = append(c.Env, corev1.EnvVar{Name: "ZZ_DEBUG", Value: "1"})
			r.Pod.Spec.NodeSelector[corev1.LabelHostname] = "np04-srv-100"
		case "runp-000-10": // other resources, service port
			c := &r.Pod.Spec.Containers[0]
			c.Resources.Limits[corev1.ResourceCPU] = resource.MustParse("32")
			r.Service.Spec.Ports[0].Port = 81
		case "df-000-06": // exited with 3
			r.Pod.Status.Phase = corev1.PodFailed
			r.Pod.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: name,
				State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 3, Reason: "Error"}}}}
		}
		pods = append(pods, r.Pod)
		services = append(services, r.Service)
	}
	extra := live.Processes[5].Pod.DeepCopy()
	extra.Name = "rogue"
	pods = append(pods, extra)
	report := Compute(Input{Session: "demo", Desired: objs.Processes, Pods: pods, Services: services, Record: rec, Keys: keys})
	if !report.Differs() || report.Unchanged != 14-4-2 {
		t.Errorf("differs %v, unchanged %d", report.Differs(), report.Unchanged)
	}
	var human bytes.Buffer
	if err := report.WriteHuman(&human); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "compute.golden", human.Bytes())
	js, _ := json.MarshalIndent(report, "", "  ")
	golden.Assert(t, "compute.json.golden", append(js, '\n'))
}

// TestNoDifference: the configuration against pods made from it.
func TestNoDifference(t *testing.T) {
	objs := renderedDemo(t, 14, NoUUID)
	live := renderedDemo(t, 14, func() string { return "u" })
	var pods []*corev1.Pod
	var services []*corev1.Service
	for _, r := range live.Processes {
		pods, services = append(pods, r.Pod), append(services, r.Service)
	}
	r := Compute(Input{Session: "demo", Desired: objs.Processes, Pods: pods, Services: services, Keys: session.Keys("")})
	if r.Differs() || r.Unchanged != 14 {
		t.Fatalf("%+v", r)
	}
}

// TestMissingServiceIsOneLine: a pod whose service is gone is changed by
// one line naming the service, not by every service field.
func TestMissingServiceIsOneLine(t *testing.T) {
	objs := renderedDemo(t, 3, NoUUID)
	live := renderedDemo(t, 3, func() string { return "u" })
	var pods []*corev1.Pod
	for _, r := range live.Processes {
		pods = append(pods, r.Pod)
	}
	r := Compute(Input{Session: "demo", Desired: objs.Processes, Pods: pods, Services: []*corev1.Service{live.Processes[0].Service, live.Processes[1].Service}, Keys: session.Keys("")})
	if len(r.Changed) != 1 || len(r.Changed[0].Fields) != 1 || r.Changed[0].Fields[0].Object != "service" || r.Changed[0].Fields[0].Live != nil {
		t.Fatalf("%+v", r.Changed)
	}
}
