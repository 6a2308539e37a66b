name        = "shop-prod"
batch_nodes = 4
