package bootexec

import (
	"context"
	"errors"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

func nodePortService(ns, name string, port int32) *corev1.Service {
	return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, Spec: corev1.ServiceSpec{
		Type: corev1.ServiceTypeNodePort, Ports: []corev1.ServicePort{{Port: port, NodePort: port}}}}
}

// withLCSPort gives the "lcs" process of objs a NodePort service.
func withLCSPort(port int32) *booter {
	objs := objects(map[string]string{"lcs": "a", "ru-01": "a"})
	objs.Processes[0].Service = nodePortService("run1", "lcs", port)
	objs.Processes[1].Service = &corev1.Service{Spec: corev1.ServiceSpec{ClusterIP: corev1.ClusterIPNone}}
	return &booter{objs: objs, ns: "run1"}
}

func TestCheckNodePortsNamesTheHolder(t *testing.T) {
	b := withLCSPort(30500)
	b.cfg.Client = fake.NewClientset(nodePortService("other", "connection", 30500), nodePortService("run1", "lcs", 30500),
		nodePortService("third", "web", 30600))
	_, err := checkNodePorts(context.Background(), b)
	var perr *NodePortsError
	if !errors.As(err, &perr) || len(perr.Held) != 1 {
		t.Fatalf("checkNodePorts = %v, want one held port (the session's own namespace is the lock's business)", err)
	}
	for _, want := range []string{`NodePort 30500 of process "lcs"`, `service "connection" of session "other"`, "nothing was created"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
}

func TestCheckNodePortsForbiddenIsANote(t *testing.T) {
	b := withLCSPort(30500)
	c := fake.NewClientset()
	c.PrependReactor("list", "services", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "services"}, "", errors.New("namespaced grant"))
	})
	b.cfg.Client = c
	note, err := checkNodePorts(context.Background(), b)
	if err != nil || !strings.Contains(note, "NodePorts not checked up front") {
		t.Fatalf("note %q, err %v: want a note and no error", note, err)
	}
}
