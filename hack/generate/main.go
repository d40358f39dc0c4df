// Command generate rewrites the files derived from code (docs/commands,
// deploy/rbac.yaml); `make docs` runs it from the repository root.
package main

import (
	"fmt"
	"os"

	"github.com/kubectl-drunc/kubectl-drunc/internal/docgen"
)

func main() {
	if err := docgen.Write("."); err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(1)
	}
}
