package ps

import (
	"fmt"
	"io"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/cli-runtime/pkg/printers"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	dprinters "github.com/kubectl-drunc/kubectl-drunc/printers"
)

// BenchmarkPrintChange is ps -w's own cost per event: from an informer
// notification to its line written and flushed (the API server's part is
// in test/bench/ps).
//
//	go test -run '^$' -bench PrintChange ./plugin/verbs/ps
func BenchmarkPrintChange(b *testing.B) {
	streams := genericiooptions.IOStreams{Out: io.Discard, ErrOut: io.Discard}
	o := &Options{f: cli.NewFactory(streams)}
	o.Print = dprinters.NewFlags()
	if err := o.Validate(); err != nil {
		b.Fatal(err)
	}
	sel, err := o.Select.Compiled()
	if err != nil {
		b.Fatal(err)
	}
	o.Select.Selector = sel
	w := &watchPrinter{o: o, out: printers.GetNewTabWriter(io.Discard), keys: session.Keys(""), last: map[string]shownRow{}}
	k := session.Keys("")
	pods := make([]*corev1.Pod, 1000)
	for i := range pods {
		pods[i] = &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("app-%d", i), Namespace: "s", UID: types.UID(fmt.Sprint(i)),
				Labels: map[string]string{k.Creator(): session.CreatorValue, k.TreeID(): fmt.Sprintf("0.%d", i)}},
			Spec:   corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Command: []string{"sh", "-c", "daq_application"}}}},
			Status: corev1.PodStatus{Phase: corev1.PodRunning},
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := pods[i%len(pods)].DeepCopy()
		p.Labels["seq"] = fmt.Sprint(i) // a change the row shows
		if err := w.printChange(change{typ: watch.Modified, pod: p}); err != nil {
			b.Fatal(err)
		}
	}
}
