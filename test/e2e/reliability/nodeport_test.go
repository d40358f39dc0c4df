package reliability

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// holdNodePort creates, in a namespace of its own, a service holding a free
// NodePort, and returns the namespace, the service and the port.
func holdNodePort(t *testing.T, tc *testcluster.Cluster) (ns, name string, port int32) {
	t.Helper()
	ns = tc.Namespace(t, "port-holder")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for attempt := 0; attempt < 10; attempt++ {
		port = int32(tc.NodePort(t))
		svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "holder"}, Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeNodePort,
			Selector: map[string]string{"app": "none"},
			Ports:    []corev1.ServicePort{{Port: 80, TargetPort: intstr.FromInt32(80), NodePort: port}},
		}}
		_, err := tc.Client.CoreV1().Services(ns).Create(ctx, svc, metav1.CreateOptions{})
		if err == nil {
			return ns, svc.Name, port
		}
		if !apierrors.IsInvalid(err) {
			t.Fatal(err)
		}
	}
	t.Fatal("no free NodePort found in 10 tries")
	return
}

// TestBootRefusesHeldNodePortWritingNothing: a boot whose connection server
// wants a NodePort another session's service holds is refused before
// anything is written: the error names the port, the process, and the
// session and service holding it; the audit log shows no write.
func TestBootRefusesHeldNodePortWritingNothing(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	hosts := testcluster.NodeNames("port", 1)
	tc.Nodes(t, hosts...)
	holderNS, holder, port := holdNodePort(t, tc)
	session := tc.UniqueName("port")
	tc.DeleteNamespaceLater(t, session)
	file := filepath.Join(t.TempDir(), "boot.yaml")
	doc := bootDoc(session, fmt.Sprintf(`  - name: local-connection-server
    host: %s
    treeId: "1"
    executables:
    - exec: gunicorn
      shell: -b 0.0.0.0:%d connection-service.connection-flask:app
`, hosts[0], port)+fmt.Sprintf(goodProc, hosts[0]))
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	auditFrom := auditSize(t, tc)

	stdout, stderr, code := tc.Plugin(t, "boot", "-f", file, "--no-probe")
	t.Logf("exit %d\n%s", code, stderr)
	if code == 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q: want a refusal", code, stdout)
	}
	for _, want := range []string{fmt.Sprintf("NodePort %d", port), `process "local-connection-server"`,
		fmt.Sprintf("service %q of session %q", holder, holderNS), "nothing was created"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the error does not name %q", want)
		}
	}
	if gone, why := namespaceGone(t, tc, session); !gone {
		t.Errorf("namespace %s exists after the refused boot: %s", session, why)
	}
	for _, w := range auditWrites(t, tc, auditFrom, []string{session}) {
		t.Errorf("audit log: a write by the refused boot: %s", w)
	}
}
