remember = lambda seen=[]: seen  # a finding on the line that starts with the BOM
