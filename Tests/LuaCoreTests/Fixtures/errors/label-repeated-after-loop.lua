while true do
  local x <close> = nil
  goto done
end
::done:: ::done::
