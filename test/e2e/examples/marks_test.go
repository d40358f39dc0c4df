package examples

import (
	"regexp"
	"strings"
)

// marked lists the examples that do not run on the local cluster, each with
// its reason. Keep it short: an example is better fixed than marked.
var marked = map[string]string{
	// boot's own examples, wrong as written (reported to boot's owner):
	"kubectl drunc boot -f examples/boot/demo-session.yaml --dry-run=client -o yaml":                            "fails without --pm-config: the example's readout application needs settings.host_configs (boot's Example text to fix)",
	"kubectl drunc boot -f demo-session.yaml -n my-session --pm-config pm-config.json --dry-run=client -o json": "names files that do not exist (demo-session.yaml, pm-config.json; boot's Example text to fix)",
	"generate-boot-file | kubectl drunc boot -f - --dry-run=client -o name":                                     "generate-boot-file stands for the reader's own program (boot's Example text to fix)",

	"kubectl drunc completion powershell | Out-String | Invoke-Expression": "needs PowerShell",
}

// redirect matches an example's final output redirection (`> FILE`, e.g.
// into the shell's completion directory): the test writes to a file of its
// own instead, so no example changes the machine's configuration.
var redirect = regexp.MustCompile(`\s>\s*\S+\s*$`)

// needsDUNE says whether an example reads DUNE DAQ's own configuration files
// (a release's DB path): it runs when they are present (../shared/oks or
// DRUNC_SHARED_OKS, given to it as DUNEDAQ_DB_PATH) and is skipped, saying
// so, when they are not.
func needsDUNE(command string) bool {
	return strings.Contains(command, "config/daqsystemtest/")
}

// streams says whether an example runs until interrupted (logs -f, ps -w):
// it passes when it is still running, without error, after a few seconds.
func streams(command string) bool {
	fields := strings.Fields(command)
	for _, f := range fields {
		switch f {
		case "-w", "--watch", "--follow":
			return true
		case "-f":
			if len(fields) > 2 && fields[2] == "logs" {
				return true
			}
		}
	}
	return false
}
