import HARShell

print(HARShell.banner)
