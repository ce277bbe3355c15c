# Latin-1 bytes without a coding declaration: Python cannot decode this file.
title = 'café'
