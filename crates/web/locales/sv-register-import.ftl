# register-import
