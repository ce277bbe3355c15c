# A BOM, CRLF line endings, tabs, and wide text before a finding.
def setup():
	label = "温度 😀 §"; record = lambda event, seen=[]: seen
	return label, record


def log(message,	sinks=[]):
	sinks.append(message)
