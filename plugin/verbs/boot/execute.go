package boot

import (
	"context"
	"fmt"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
)

// execute creates the rendered objects in the cluster (--dry-run=none) or
// has the apiserver check them (--dry-run=server). This is where the boot
// executor (plugin/bootexec) plugs in.
func (o *Options) execute(_ context.Context, _ *podspec.Objects) error {
	return fmt.Errorf("--dry-run=%s: creating the session in a cluster is not part of this build yet; use --dry-run=client to see the objects", o.DryRun)
}
