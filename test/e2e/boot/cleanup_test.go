package boot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// denyPods makes the apiserver refuse every pod created in these
// namespaces (a ValidatingAdmissionPolicy, removed at cleanup), and waits
// until the policy is in force.
func denyPods(t *testing.T, tc *testcluster.Cluster, namespaces ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	name := tc.UniqueName("deny-pods")
	quoted := make([]string, len(namespaces))
	for i, ns := range namespaces {
		quoted[i] = fmt.Sprintf("%q", ns)
	}
	fail := admissionv1.Fail
	policy := &admissionv1.ValidatingAdmissionPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: admissionv1.ValidatingAdmissionPolicySpec{
			FailurePolicy: &fail,
			MatchConstraints: &admissionv1.MatchResources{ResourceRules: []admissionv1.NamedRuleWithOperations{{
				RuleWithOperations: admissionv1.RuleWithOperations{
					Operations: []admissionv1.OperationType{admissionv1.Create},
					Rule:       admissionv1.Rule{APIGroups: []string{""}, APIVersions: []string{"v1"}, Resources: []string{"pods"}},
				},
			}}},
			Validations: []admissionv1.Validation{{
				Expression: fmt.Sprintf("!(request.namespace in [%s])", strings.Join(quoted, ", ")),
				Message:    "pods are refused here by the test's admission policy",
			}},
		},
	}
	adm := tc.Client.AdmissionregistrationV1()
	if _, err := adm.ValidatingAdmissionPolicies().Create(ctx, policy, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	binding := &admissionv1.ValidatingAdmissionPolicyBinding{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: admissionv1.ValidatingAdmissionPolicyBindingSpec{PolicyName: name,
			ValidationActions: []admissionv1.ValidationAction{admissionv1.Deny}},
	}
	if _, err := adm.ValidatingAdmissionPolicyBindings().Create(ctx, binding, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = adm.ValidatingAdmissionPolicyBindings().Delete(ctx, name, metav1.DeleteOptions{})
		_ = adm.ValidatingAdmissionPolicies().Delete(ctx, name, metav1.DeleteOptions{})
	})
	// The policy takes effect once the apiserver has loaded it: try a pod
	// in the first namespace (which the test creates) until it is refused.
	probe := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{GenerateName: "probe-"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
	eventually(t, "the admission policy in force", 30*time.Second, func() bool {
		made, err := tc.Client.CoreV1().Pods(namespaces[0]).Create(ctx, probe, metav1.CreateOptions{})
		if err == nil {
			_ = tc.Client.CoreV1().Pods(namespaces[0]).Delete(ctx, made.Name, metav1.DeleteOptions{})
		}
		return apierrors.IsInvalid(err) || apierrors.IsForbidden(err)
	})
}

// TestBootRefusedBeforeFirstProcessLeavesNoNamespace: a boot whose first
// process the API refuses created nothing but its namespace; it deletes
// that namespace again and says so, so running it again is not met by
// "session already exists".
func TestBootRefusedBeforeFirstProcessLeavesNoNamespace(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	host := tc.UniqueName("np09-srv")
	tc.Nodes(t, host)
	ns := tc.UniqueName("refused")
	cleanupSession(t, tc, ns)
	denyPods(t, tc, tc.Namespace(t, "refused-probe"), ns)
	file := bootFile(t, genSession{Name: ns, Gate: host, Hosts: []string{host}, Apps: 3})

	_, stderr, code := tc.Plugin(t, "boot", "-f", file, "--no-probe", "--timeout=60s")
	t.Logf("exit %d\n%s", code, stderr)
	if code == 0 {
		t.Fatal("boot exited 0 though every pod is refused")
	}
	for _, want := range []string{"pod refused", "no process was created, so the session namespace was deleted again"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if live, pods, services := objects(t, tc, ns); live || pods != 0 || services != 0 {
		t.Errorf("after the refused boot: namespace live=%v, %d pods, %d services; want nothing", live, pods, services)
	}
}

// TestBootSkipsProbesOnFakeNodes: without --no-probe, a boot on kwok fake
// nodes (nothing runs there, so nothing could answer) does not wait for
// the probes: it says they were not checked, and succeeds.
func TestBootSkipsProbesOnFakeNodes(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	host := tc.UniqueName("np10-srv")
	tc.Nodes(t, host)
	ns := tc.UniqueName("fakeprobe")
	cleanupSession(t, tc, ns)
	file := bootFile(t, genSession{Name: ns, Gate: host, Hosts: []string{host}, Apps: 2})
	start := time.Now()
	stdout, stderr, code := tc.Plugin(t, "boot", "-f", file, "--timeout=60s")
	if code != 0 {
		t.Fatalf("boot exited %d on fake nodes without --no-probe:\n%s", code, stderr)
	}
	// The generated root controller has no port: only the LCS is probed.
	if n := strings.Count(stderr, "not checked: its node is a kwok fake node"); n != 1 {
		t.Errorf("stderr says %d times that a probe was skipped on a fake node, want 1 (the LCS):\n%s", n, stderr)
	}
	if !strings.Contains(stdout, "session/"+ns+" booted") {
		t.Errorf("stdout: %q", stdout)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("boot took %s: did it wait for a probe?", d)
	}
}
