package printers

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/kubectl/pkg/cmd/get"
)

// randomPods have fields of every kind --sort-by meets: strings, numbers,
// times, quantities (as labels and as resources), some missing.
func randomPods(r *rand.Rand, n int) []*corev1.Pod {
	pods := make([]*corev1.Pod, n)
	for i := range pods {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{
			Name:              fmt.Sprintf("p-%02d", r.IntN(n)),
			CreationTimestamp: metav1.NewTime(time.Unix(1_700_000_000+int64(r.IntN(5)), 0)),
			Labels:            map[string]string{"mem": fmt.Sprintf("%d%s", 1+r.IntN(3), []string{"Mi", "Gi", "k", ""}[r.IntN(4)])},
		}}
		if r.IntN(4) > 0 {
			p.Spec.NodeName = fmt.Sprintf("node-%d", r.IntN(4))
		}
		if r.IntN(3) > 0 {
			p.Labels["word"] = []string{"alpha", "beta", "10", "9"}[r.IntN(4)]
		}
		c := corev1.Container{Name: "c", Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
			corev1.ResourceCPU: resource.MustParse(fmt.Sprintf("%dm", 100*(1+r.IntN(20))))}}}
		p.Spec.Containers = []corev1.Container{c}
		if r.IntN(5) > 0 {
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{RestartCount: int32(r.IntN(3))}}
		}
		pods[i] = p
	}
	return pods
}

func unstructuredOf(t *testing.T, pods []*corev1.Pod) []runtime.Object {
	objs := make([]runtime.Object, len(pods))
	for i, p := range pods {
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(p)
		if err != nil {
			t.Fatal(err)
		}
		objs[i] = &unstructured.Unstructured{Object: u}
	}
	return objs
}

// kubectlOrder is the order get.RuntimeSorter gives (what ps used before
// the port).
func kubectlOrder(objs []runtime.Object, sortBy string) ([]int, error) {
	s := get.NewRuntimeSorter(slices.Clone(objs), sortBy)
	if err := s.Sort(); err != nil {
		return nil, err
	}
	order := make([]int, len(objs))
	for i := range order {
		order[i] = s.OriginalPosition(i)
	}
	return order, nil
}

func TestSortByJSONPathMatchesKubectl(t *testing.T) {
	paths := []string{
		".metadata.name", "metadata.name", "{.metadata.name}", "{metadata.name}",
		".spec.nodeName", ".metadata.creationTimestamp", ".metadata.labels.mem",
		".metadata.labels.word", ".status.containerStatuses[0].restartCount",
		".spec.containers[0].resources.requests.cpu", ".status.nothing",
	}
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 30 {
		pods := randomPods(r, 1+r.IntN(40))
		for _, typed := range []bool{false, true} {
			objs := unstructuredOf(t, pods)
			if typed {
				for i, p := range pods {
					objs[i] = p
				}
			}
			for _, path := range paths {
				if typed && strings.Contains(path, "[0]") {
					// A typed pod without container statuses makes the
					// index fail; kubectl exits from inside its sort then.
					continue
				}
				want, wantErr := kubectlOrder(objs, path)
				got, err := SortByJSONPath(objs, path)
				if fmt.Sprint(err) != fmt.Sprint(wantErr) || !slices.Equal(got, want) {
					t.Fatalf("round %d (typed %v), %d pods, %s: got %v (%v), want %v (%v)", round, typed, len(pods), path, got, err, want, wantErr)
				}
			}
		}
	}
}

func TestSortByJSONPathErrors(t *testing.T) {
	objs := unstructuredOf(t, randomPods(rand.New(rand.NewPCG(3, 4)), 5))
	cases := []struct{ path, want string }{
		{"{.metadata", "unexpected path string"},
		{".status.nothing", `couldn't find any field with path "{.status.nothing}"`},
		// kubectl exits from inside its sort here; the port returns an error.
		{".metadata.labels", "unsortable type: map[string]interface {}"},
		{".spec.containers", "unsortable type: []interface {}"},
		{".spec.containers[1].name", "array index out of bounds"},
	}
	for _, c := range cases {
		if _, err := SortByJSONPath(objs, c.path); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.path, err, c.want)
		}
	}
	// Like kubectl, one object needs no sorting and is not checked.
	if order, err := SortByJSONPath(objs[:1], ".status.nothing"); err != nil || !slices.Equal(order, []int{0}) {
		t.Errorf("one object: %v, %v", order, err)
	}
}

func TestRelaxedJSONPathExpressionMatchesKubectl(t *testing.T) {
	for _, in := range []string{"", "a.b", ".a.b", "{a.b}", "{.a.b}", "{.a}{.b}", "{a", "a}", "{.items[*].x}", `.a.b\.c`} {
		got, err := RelaxedJSONPathExpression(in)
		want, wantErr := get.RelaxedJSONPathExpression(in)
		if got != want || fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Errorf("%q: got %q (%v), want %q (%v)", in, got, err, want, wantErr)
		}
	}
}
