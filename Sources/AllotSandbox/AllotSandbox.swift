import AllotCore
