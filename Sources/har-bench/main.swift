import HARKit

BenchCommand.main()
