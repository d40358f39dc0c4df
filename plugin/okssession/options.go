package okssession

import "os"

// Options says which Session to derive and fills in what the OKS files
// leave to the invoking environment.
type Options struct {
	// File is the OKS data file (as given; searched in DBPath when not found).
	File string
	// SessionID is the id of the Session object in File.
	SessionID string
	// SessionName is the running session (namespace); "" means SessionID.
	SessionName string
	// User is the invoking user, for log file names.
	User string
	// LocalhostNode is the Kubernetes node a PhysicalHost "localhost" means.
	LocalhostNode string
	// RTEScript overrides the Session's rte_script.
	RTEScript string
	// LogDir is where logs go when neither application nor Session sets log_path.
	LogDir string
	// DBPath is DUNEDAQ_DB_PATH (colon-separated): where includes are found,
	// and passed on to every process. "" means the environment's.
	DBPath string
	// ReadFile reads files; nil means os.ReadFile.
	ReadFile func(name string) ([]byte, error)
}

func (o Options) sessionName() string {
	if o.SessionName != "" {
		return o.SessionName
	}
	return o.SessionID
}

// dbPath is DBPath, else the invoking environment's DUNEDAQ_DB_PATH.
func (o Options) dbPath() string {
	if o.DBPath != "" {
		return o.DBPath
	}
	return os.Getenv("DUNEDAQ_DB_PATH")
}
