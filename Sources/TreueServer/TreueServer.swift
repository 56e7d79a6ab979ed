import TreueCore
