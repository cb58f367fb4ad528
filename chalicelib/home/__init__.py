"""The patient's home home: what needs attention, gathered from the features' services in one request."""
