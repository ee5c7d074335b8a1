import DispoApp
print("dispo")
