import HARKit

print(HARKit.versions)
