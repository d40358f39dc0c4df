package boot

import (
	"context"
	"fmt"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
)

// execute creates the rendered objects in the cluster with the boot
// executor (plugin/bootexec; see run.go). --dry-run=server is not offered:
// the apiserver cannot check pods of a namespace that does not exist yet.
func (o *Options) execute(ctx context.Context, objs *podspec.Objects) error {
	if o.DryRun == DryRunServer {
		return fmt.Errorf("--dry-run=server is not supported: pods cannot be checked by the server before their session namespace exists; use --dry-run=client")
	}
	return o.boot(ctx, objs)
}
