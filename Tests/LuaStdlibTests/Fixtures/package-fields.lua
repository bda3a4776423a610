-- package.cpath, package.searchers and the C searchers' messages (no C module is found).
print(type(package.cpath), type(package.searchers), #package.searchers)
for i = 1, #package.searchers do print(i, type(package.searchers[i])) end
print(type(package.loadlib))

package.path = "?.lua;?/?"
package.cpath = "?.so;?/init"
local ok, msg = pcall(require, "no_such_module_xyz")
print(ok)
print(msg)
-- the C-root searcher looks for the part before the first dot
ok, msg = pcall(require, "no_such_root.sub")
print(ok)
print(msg)
-- the C searchers ask for a string package.cpath
package.cpath = nil
print(pcall(require, "no_such_module_xyz"))
package.cpath = "?.so"
-- a searcher's direct call
print(package.searchers[3]("no_such_module_xyz"))
print(package.searchers[4]("nodot"))
print(select("#", package.searchers[4]("nodot")))
print(package.searchers[4]("no_root.x"))
